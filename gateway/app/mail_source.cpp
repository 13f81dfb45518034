#include "gateway/app/mail_source.h"

#include <algorithm>
#include <fstream>

#include "gateway/util/files.h"

namespace postdesk::app {

namespace fs = std::filesystem;

MailSource::MailSource(fs::path path) : path_(std::move(path)) {
    if (fs::is_directory(path_)) {
        kind_ = Kind::Maildir;
        for (const char* sub : {"cur", "new"})
            if (fs::is_directory(path_ / sub))
                for (const auto& e : fs::directory_iterator(path_ / sub))
                    if (e.is_regular_file()) files_.push_back(e.path());
        std::sort(files_.begin(), files_.end());
        count_ = files_.size();
        return;
    }
    std::ifstream in(path_, std::ios::binary);
    char head[5] = {};
    in.read(head, 5);
    if (in.gcount() == 5 && std::string_view(head, 5) == "From ") {
        kind_ = Kind::Mbox;
        eachInMbox(nullptr, count_);
    } else {
        count_ = 1;
    }
}

bool MailSource::each(const std::function<void(std::string&&)>& take) const {
    switch (kind_) {
        case Kind::Maildir:
            for (const auto& f : files_)
                if (auto bytes = readWholeFile(f)) take(std::move(*bytes));
            return true;
        case Kind::Mbox: {
            std::size_t n = 0;
            return eachInMbox(take, n);
        }
        case Kind::Eml:
            break;
    }
    auto bytes = readWholeFile(path_);
    if (!bytes) return false;
    take(std::move(*bytes));
    return true;
}

// Line by line; an empty line is held back until the next one shows whether it separates two
// mails. Without `take` (count()) nothing is kept, only counted.
bool MailSource::eachInMbox(const std::function<void(std::string&&)>& take, std::size_t& n) const {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return false;
    std::string mail, line;
    bool started = false, blank = false, content = false;
    auto finish = [&] {
        if (started && content) {
            ++n;
            if (take) take(std::move(mail));
        }
        mail.clear();
        content = false;
    };
    auto addBlank = [&] {
        content = true;
        if (take) mail += '\n';
    };
    while (std::getline(in, line)) {
        if (line.compare(0, 5, "From ") == 0 && (!started || blank)) {
            finish();
            started = true;
            blank = false;
            continue;
        }
        if (blank) addBlank();
        blank = line.empty();
        if (blank) continue;
        content = true;
        if (!take) continue;
        std::size_t gt = line.find_first_not_of('>');
        if (gt > 0 && gt != std::string::npos && line.compare(gt, 5, "From ") == 0) line.erase(0, 1);
        mail += line;
        mail += '\n';
    }
    if (blank) addBlank();
    finish();
    return !in.bad();
}

}  // namespace postdesk::app
