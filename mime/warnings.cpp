#include "mime/warnings.h"

namespace postdesk::mime {

void Warnings::add(std::string_view code, std::string_view detail) {
    if (list_.size() < kMaxWarnings - 1) {
        list_.push_back({std::string(code), std::string(detail.substr(0, 200))});
        return;
    }
    ++dropped_;
    if (list_.size() == kMaxWarnings - 1)
        list_.push_back({"more-warnings", "further warnings were not recorded"});
}

}  // namespace postdesk::mime
