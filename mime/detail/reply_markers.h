// postdesk::mime::detail — recognisers for the lines where quoted history starts in a reply.
//
// Each looks at a bounded window (a few lines, a few hundred bytes) so extractReplyText() stays
// linear on any input; none uses std::regex. The phrases are the ones mail clients write
// (Gmail, Apple Mail, Thunderbird, Outlook, Yandex, mail.ru) in the languages we see.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace postdesk::mime::detail {

using Lines = std::vector<std::string_view>;

// Where history starts at line i: it spans `lines` lines; text before `column` on the first
// line is still the reply ("reply On …, bob wrote:"). lines == 0: no splitter here.
struct Splitter {
    std::size_t lines = 0;
    std::size_t column = 0;
};

bool isBlank(std::string_view line);
bool isQuoteLine(std::string_view line);
// A row of dashes, underscores or equals signs that Outlook and others put above the history.
bool isSeparatorLine(std::string_view line);
// "---------- Forwarded message ----------" and its translations: what follows is content.
bool isForwardMarker(std::string_view line);
// "-- " (RFC 3676 §4.3), also without the space as some clients write it.
bool isSignatureDelimiter(std::string_view line);
// "Sent from my iPhone", "Отправлено с iPhone": a short client advertisement, not a sentence.
bool isMobileSignature(std::string_view line);

// "On … wrote:", "-----Original Message-----", a "From:/Sent:/To:" block, "2014-10-17 … <a@b>:".
Splitter findSplitter(const Lines& lines, std::size_t i);

}  // namespace postdesk::mime::detail
