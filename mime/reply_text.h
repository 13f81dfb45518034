// postdesk::mime — the new text of a reply, without quoted history and signature.
//
// Strips, from the first line where quoted history starts: "> " quoting; "On … wrote:" (Gmail,
// Apple Mail, Thunderbird, also wrapped over two lines, also in the usual European languages);
// Outlook's "From:/Sent:/To:/Subject:" header block and "-----Original Message-----"; the Russian
// forms ("… пишет:", "От:/Отправлено:/Кому:/Тема:", Gmail's "чт, 19 нояб. 2026 г. в 10:00, Name
// <addr>:"); and a trailing "-- " signature or a mobile "Sent from my iPhone" line. Text quoted
// inline between new paragraphs (interleaved answers) keeps the new paragraphs. When stripping
// would leave nothing, the whole text is returned. Input and output are UTF-8 with "\n" line
// ends; leading and trailing blank lines, and whitespace at the very end, are removed. Linear
// time: no backtracking regex (safe on the pathological inputs of email_reply_parser's tests).
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime {

std::string extractReplyText(std::string_view text);

}  // namespace postdesk::mime
