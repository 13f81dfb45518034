// postdesk::app — a progress bar on stderr for long commands (import, replay):
//   [#################                       ] 2150/5000  43%
// Drawn only when stderr is a terminal, or when forced (--progress), and redrawn at most every
// 100 ms and at the end, so it costs nothing measurable in a loop over thousands of mails.
#pragma once

#include <chrono>
#include <cstddef>

namespace postdesk::app {

class ProgressBar {
public:
    ProgressBar(std::size_t total, bool forced = false);
    void update(std::size_t done);  // the last call should pass `total`

private:
    std::size_t total_;
    bool on_;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace postdesk::app
