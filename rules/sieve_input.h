// postdesk::rules — the facts a Sieve script sees for one parsed mail (sieve_eval.h SieveInput).
//
// sieveInputFor() is the one place that decides them, so ingest, `rules test` and `replay` judge
// a mail alike: the decoded headers; envelope sender from Return-Path, else From; envelope
// recipient from the first Delivered-To (what the MDA recorded), else the first To; the raw
// size; the parser's auto-reply classification. `customer` and `ticket` are store facts the
// caller fills in ("new" by default). Pure; never throws.
#pragma once

#include "mime/message.h"
#include "rules/sieve_eval.h"

namespace postdesk::rules {

SieveInput sieveInputFor(const mime::Message& message);

}  // namespace postdesk::rules
