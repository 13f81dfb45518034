// postdesk::rules — who a customer's mail is from, for the ticket and for every answer.
//
// customerOf(m, ours) is the first Reply-To address when the mail has one and it is not one of
// our own mailboxes (RFC 5322 §3.6.2: where the author asks answers to go — a web shop's contact
// form sends "From: no-reply@shop.example, Reply-To: Anna <anna@mail.example>", and Anna is the
// customer, as osTicket and Zammad treat it); else From; else Sender; else an empty Address.
// isOurAddress compares case-insensitively and ignores a "+detail" (support+1-abc@ is support@).
// Pure; never throws except std::bad_alloc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mime/message.h"

namespace postdesk::rules {

bool isOurAddress(std::string_view address, const std::vector<std::string>& ours);

const mime::Address& customerOf(const mime::Message& m, const std::vector<std::string>& ours);

}  // namespace postdesk::rules
