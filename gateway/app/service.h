// postdesk::app — the passes the CLI and the service share: ingest what is queued, and one
// intake pass over every mailbox.
#pragma once

#include <string>

#include "gateway/app/context.h"
#include "gateway/ingest/ingest.h"

namespace postdesk::app {

struct IngestReport {
    ingest::IngestStats stats;
    std::string summary() const;
};

ingest::IngestSettings ingestSettings(const config::Settings& settings);
// With replies on: acknowledgments, notifications and agent replies use the context's templates.
ingest::IngestSettings ingestSettings(const Context& context);

// Ingests every due inbound row.
IngestReport ingestPending(Context& context);

}  // namespace postdesk::app
