// postdesk::app — the few command-line shapes postdesk's subcommands use:
// `--flag`, `--key VALUE` / `--key=VALUE`, and positional words. Unknown options are an error.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace postdesk::app {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Options {
    std::set<std::string> flags;
    std::map<std::string, std::string> values;
    std::vector<std::string> positional;

    bool has(const std::string& flag) const { return flags.count(flag) > 0; }
    std::optional<std::string> value(const std::string& key) const;
};

// `flags` and `valued` list the accepted names without dashes; --config and --help are always
// accepted. Throws UsageError.
Options parseOptions(const std::vector<std::string>& args, const std::set<std::string>& flags,
                     const std::set<std::string>& valued);

}  // namespace postdesk::app
