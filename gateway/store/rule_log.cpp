#include "gateway/store/rule_log.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace postdesk::store {
namespace {

std::string toText(const Poco::JSON::Array::Ptr& a) {
    std::ostringstream out;
    a->stringify(out);
    return out.str();
}

std::string firedToJson(const std::vector<rules::SieveFired>& fired) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& f : fired) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("file", f.file);
        o->set("line", f.line);
        a->add(o);
    }
    return toText(a);
}

std::vector<rules::SieveFired> firedFromJson(const std::string& json) {
    std::vector<rules::SieveFired> out;
    try {
        auto a = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < a->size(); ++i) {
            auto o = a->getObject(static_cast<unsigned>(i));
            if (o) out.push_back({o->optValue<std::string>("file", ""), o->optValue<int>("line", 0), ""});
        }
    } catch (const Poco::Exception&) {
        return {};
    }
    return out;
}

}  // namespace

std::vector<rules::SieveAction> canonicalActions(const rules::SieveResult& result) {
    std::vector<rules::SieveAction> all = result.actions;
    if (result.implicit_keep) all.push_back({"keep", {}});
    return all;
}

std::string actionsToJson(const std::vector<rules::SieveAction>& actions) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& x : actions) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        Poco::JSON::Array::Ptr args = new Poco::JSON::Array;
        for (const auto& s : x.args) args->add(s);
        o->set("action", x.action);
        o->set("args", args);
        a->add(o);
    }
    return toText(a);
}

std::vector<rules::SieveAction> actionsFromJson(const std::string& json) {
    std::vector<rules::SieveAction> out;
    try {
        auto a = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < a->size(); ++i) {
            auto o = a->getObject(static_cast<unsigned>(i));
            if (!o) return {};
            rules::SieveAction x{o->optValue<std::string>("action", ""), {}};
            if (auto args = o->getArray("args"))
                for (std::size_t k = 0; k < args->size(); ++k) x.args.push_back(args->getElement<std::string>(static_cast<unsigned>(k)));
            out.push_back(std::move(x));
        }
    } catch (const Poco::Exception&) {
        return {};
    }
    return out;
}

std::string describeActions(const std::vector<rules::SieveAction>& actions) {
    std::string out;
    for (const auto& a : actions) {
        if (!out.empty()) out += "; ";
        out += a.action;
        for (const auto& s : a.args) out += " \"" + s + "\"";
    }
    return out.empty() ? "(none)" : out;
}

void RuleLog::record(const RuleDecision& d) {
    Statement(db_, "INSERT OR REPLACE INTO rule_decision (inbound, customer, ticket, actions, fired, at) VALUES (?,?,?,?,?,?)")
        .bind(1, d.inbound).bind(2, d.customer).bind(3, d.ticket).bind(4, actionsToJson(d.actions))
        .bind(5, firedToJson(d.fired)).bind(6, d.at).run();
}

std::optional<RuleDecision> RuleLog::get(std::int64_t inbound) {
    Statement s(db_, "SELECT customer, ticket, actions, fired, at FROM rule_decision WHERE inbound = ?");
    s.bind(1, inbound);
    if (!s.step()) return std::nullopt;
    RuleDecision d;
    d.inbound = inbound;
    d.customer = s.text(0);
    d.ticket = s.text(1);
    d.actions = actionsFromJson(s.text(2));
    d.fired = firedFromJson(s.text(3));
    d.at = s.int64(4);
    return d;
}

std::vector<ReplayCandidate> RuleLog::candidates(std::int64_t since, std::int64_t ticket) {
    Statement s(db_,
                "SELECT i.id, i.received_at, COALESCE(m.ticket, 0), r.inbound IS NOT NULL FROM inbound i "
                "LEFT JOIN message m ON m.inbound = i.id LEFT JOIN rule_decision r ON r.inbound = i.id "
                "WHERE i.state IN ('done', 'quarantined') AND i.received_at >= ?1 AND (?2 = 0 OR m.ticket = ?2) "
                "AND (r.inbound IS NOT NULL OR m.direction = 'in') ORDER BY i.id");
    s.bind(1, since).bind(2, ticket);
    std::vector<ReplayCandidate> out;
    while (s.step()) {
        ReplayCandidate c;
        c.inbound = s.int64(0);
        c.received_at = s.int64(1);
        c.ticket = s.int64(2);
        if (s.int64(3)) c.recorded = RuleDecision{};  // filled below: one statement at a time
        out.push_back(std::move(c));
    }
    for (auto& c : out)
        if (c.recorded) c.recorded = get(c.inbound);
    return out;
}

}  // namespace postdesk::store
