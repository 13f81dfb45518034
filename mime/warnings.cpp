#include "mime/warnings.h"

#include <algorithm>

namespace postdesk::mime {

// At most kPerCode entries of one code: a hostile mail that repeats one defect a thousand times
// must not crowd out the other codes (a depth-limit behind 99 unclosed boundaries).
void Warnings::add(std::string_view code, std::string_view detail) {
    constexpr std::ptrdiff_t kPerCode = 5;
    if (std::count_if(list_.begin(), list_.end(), [&](const Warning& w) { return w.code == code; }) >= kPerCode) {
        ++dropped_;
        return;
    }
    if (list_.size() < kMaxWarnings - 1) {
        list_.push_back({std::string(code), std::string(detail.substr(0, 200))});
        return;
    }
    ++dropped_;
    if (list_.size() == kMaxWarnings - 1)
        list_.push_back({"more-warnings", "further warnings were not recorded"});
}

}  // namespace postdesk::mime
