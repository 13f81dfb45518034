#include "gateway/app/options.h"

namespace postdesk::app {

std::optional<std::string> Options::value(const std::string& key) const {
    auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

Options parseOptions(const std::vector<std::string>& args, const std::set<std::string>& flags,
                     const std::set<std::string>& valued) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() < 3 || a.rfind("--", 0) != 0) {
            o.positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2), val;
        bool inlineValue = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            val = name.substr(eq + 1);
            name.resize(eq);
            inlineValue = true;
        }
        if (name == "help" || flags.count(name)) {
            if (inlineValue) throw UsageError("--" + name + " takes no value");
            o.flags.insert(name);
        } else if (name == "config" || valued.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value");
                val = args[++i];
            }
            o.values[name] = val;
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
    return o;
}

}  // namespace postdesk::app
