// postdesk::app — the mails of an import PATH, one at a time: a .eml file, an mbox, or a Maildir
// (cur/ and new/, by file name). Streamed, so `postdesk import` of a multi-gigabyte mbox export
// holds one mail (and the group being committed), not the whole file twice.
//
// mboxrd/mboxo: a mail starts at a "From " line at the start of the file or after an empty line
// (that empty line is the separator, not part of the mail); ">From " quoting is undone one level;
// every line ends with "\n" as read. Byte for byte what the earlier whole-file splitter gave, so
// mails without a Message-ID keep their identity (the SHA-256 of their bytes) across versions.
//
// Fails by returning false from each() when PATH cannot be read; a Maildir file that vanished
// meanwhile is skipped.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace postdesk::app {

class MailSource {
public:
    explicit MailSource(std::filesystem::path path);
    // How many mails each() will give (an mbox is scanned once for this).
    std::size_t count() const { return count_; }
    // Calls `take` with each mail in order.
    bool each(const std::function<void(std::string&& mail)>& take) const;

private:
    enum class Kind { Eml, Mbox, Maildir };
    bool eachInMbox(const std::function<void(std::string&&)>& take, std::size_t& n) const;
    std::filesystem::path path_;
    Kind kind_ = Kind::Eml;
    std::vector<std::filesystem::path> files_;  // a Maildir's, sorted
    std::size_t count_ = 0;
};

}  // namespace postdesk::app
