#include "gateway/app/progress.h"

#include <unistd.h>

#include <iostream>
#include <string>

namespace postdesk::app {

ProgressBar::ProgressBar(std::size_t total, bool forced) : total_(total), on_(total >= 2 && (forced || ::isatty(STDERR_FILENO))) {}

void ProgressBar::update(std::size_t done) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    if (done < total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr std::size_t kWidth = 40;
    std::size_t filled = kWidth * done / total_;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << done << "/" << total_ << "  "
              << 100 * done / total_ << "%" << std::flush;
    if (done == total_) std::cerr << "\n";
}

}  // namespace postdesk::app
