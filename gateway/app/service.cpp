#include "gateway/app/service.h"

namespace postdesk::app {

std::string IngestReport::summary() const {
    return std::to_string(stats.filed) + " filed, " + std::to_string(stats.duplicates) + " duplicates, " +
           std::to_string(stats.deferred) + " deferred, " + std::to_string(stats.quarantined) + " quarantined";
}

ingest::IngestSettings ingestSettings(const config::Settings& s) {
    ingest::IngestSettings i;
    i.limits = s.limits;
    i.thread = s.thread;
    i.token_key = s.token_key;
    i.max_attempts = s.ingest_max_attempts;
    for (const auto& m : s.mailboxes) i.our_addresses.push_back(m.address);
    return i;
}

ingest::IngestSettings ingestSettings(const Context& c) {
    ingest::IngestSettings i = ingestSettings(c.settings);
    i.config = &c.settings;
    i.templates = c.templates.get();
    i.rules = &c.rules;
    return i;
}

IngestReport ingestPending(Context& c) {
    ingest::Ingest stage(*c.store, ingestSettings(c));
    return {stage.drain()};
}

}  // namespace postdesk::app
