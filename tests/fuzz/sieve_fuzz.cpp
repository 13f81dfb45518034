// libFuzzer target for the Sieve parser and evaluator: any bytes as a rule file must parse (or be
// refused with an error) without a crash, a sanitizer report, a hang or unbounded memory — the
// guarantee `serve` relies on when an admin's broken file is hot-reloaded — and a script that
// parsed must evaluate over a small mail without one either.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mime/message.h"
#include "rules/sieve_eval.h"
#include "rules/sieve_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace postdesk;
    std::vector<rules::SieveError> errors;
    rules::SieveScript script = rules::parseSieve(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.sieve", errors);
    if (!errors.empty()) return 0;
    rules::SieveInput in;
    in.headers = {{"From", "Jane Doe <jane@customer.example>", "Jane Doe <jane@customer.example>"},
                  {"To", "support@example.test, \"Sales\" <sales@example.test>", "support@example.test, \"Sales\" <sales@example.test>"},
                  {"Subject", "Re: [acme] Invoice 42 is wrong", "Re: [acme] Invoice 42 is wrong"},
                  {"X-Priority", "1", "1"}};
    in.envelope_from = "jane@customer.example";
    in.envelope_to = "support@example.test";
    in.size = 4096;
    rules::evaluate({script}, in);
    return 0;
}
