// `postdesk tickets`, `postdesk show N` and `postdesk attachment SHA256`: what the store holds,
// for people and scripts.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <fstream>
#include <iomanip>
#include <iostream>

#include "gateway/app/context.h"
#include "gateway/app/message_json.h"
#include "gateway/store/ticket_store.h"
#include "mime/date.h"

namespace postdesk::app {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kTicketsUsage =
    "usage: postdesk tickets [--status S] [--queue Q] [--json] [--config FILE]\n"
    "  Lists tickets; with --json one object per ticket per line.\n";
constexpr const char* kShowUsage =
    "usage: postdesk show N [--json] [--config FILE]\n"
    "  Shows ticket N: its messages, attachments and events.\n";

constexpr const char* kAttachmentUsage =
    "usage: postdesk attachment SHA256 [--out FILE] [--config FILE]\n"
    "  Writes the bytes of the attachment with this SHA-256 (as `show` lists it) to stdout or FILE.\n";

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Object::Ptr ticketJson(const store::TicketRow& t) {
    Object::Ptr o = newObject();
    o->set("number", t.number);
    o->set("subject", t.subject);
    o->set("status", t.status);
    o->set("queue", t.queue);
    o->set("priority", t.priority);
    Object::Ptr customer = newObject();
    customer->set("name", t.customer_name);
    customer->set("address", t.customer_address);
    o->set("customer", customer);
    o->set("assignee", t.assignee.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(t.assignee));
    o->set("linked_ticket", t.linked_ticket ? Poco::Dynamic::Var(t.linked_ticket) : Poco::Dynamic::Var());
    o->set("messages", t.messages);
    o->set("created", mime::formatIsoUtc(t.created_at));
    o->set("updated", mime::formatIsoUtc(t.updated_at));
    return o;
}

Array::Ptr attachmentsJson(store::TicketStore& tickets, std::int64_t message) {
    Array::Ptr arr = new Array;
    for (const auto& a : tickets.attachments(message)) {
        Object::Ptr o = newObject();
        o->set("filename", a.filename);
        o->set("content_type", a.content_type);
        o->set("size", a.size);
        o->set("sha256", a.sha256);
        o->set("inline", a.inline_);
        arr->add(o);
    }
    return arr;
}

Object::Ptr showJson(store::TicketStore& tickets, const store::TicketRow& t) {
    Object::Ptr o = ticketJson(t);
    Array::Ptr messages = new Array;
    for (const auto& m : tickets.messages(t.number)) {
        Object::Ptr j = newObject();
        j->set("direction", m.direction);
        Object::Ptr from = newObject();
        from->set("name", m.from_name);
        from->set("address", m.from_address);
        j->set("from", from);
        j->set("subject", m.subject);
        j->set("date", m.date.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(m.date));
        j->set("message_id", m.message_id);
        j->set("auto", m.auto_kind);
        j->set("reply_text", m.reply_text);
        j->set("attachments", attachmentsJson(tickets, m.id));
        messages->add(j);
    }
    o->set("messages", messages);
    Array::Ptr events = new Array;
    for (const auto& e : tickets.events(t.number)) {
        Object::Ptr j = newObject();
        j->set("at", mime::formatIsoUtc(e.at));
        j->set("kind", e.kind);
        j->set("detail", e.detail);
        events->add(j);
    }
    o->set("events", events);
    return o;
}

void printTicketLine(const store::TicketRow& t) {
    std::cout << "[#" << t.number << "] " << std::left << std::setw(8) << t.status << std::setw(10) << t.queue << " "
              << t.customer_address << "  " << t.subject << "  (" << t.messages << " message" << (t.messages == 1 ? "" : "s") << ")\n";
}

void printShow(store::TicketStore& tickets, const store::TicketRow& t) {
    printTicketLine(t);
    for (const auto& m : tickets.messages(t.number)) {
        std::cout << "\n--- " << m.direction << "  " << m.date << "  " << m.from_name << " <" << m.from_address << ">\n"
                  << m.reply_text << "\n";
        for (const auto& a : tickets.attachments(m.id)) std::cout << "  [attachment] " << a.filename << " (" << a.size << " bytes)\n";
    }
    std::cout << "\nevents:\n";
    for (const auto& e : tickets.events(t.number)) std::cout << "  " << mime::formatIsoUtc(e.at) << "  " << e.kind << "  " << e.detail << "\n";
}

}  // namespace

int runTickets(const Args& args) {
    return runCommand(args, {"json"}, {"status", "queue"}, kTicketsUsage, [](const Options& o) {
        Context c = openContext(o);
        store::TicketStore tickets(c.store->db());
        store::TicketFilter f;
        f.status = o.value("status").value_or("");
        f.queue = o.value("queue").value_or("");
        for (const auto& t : tickets.list(f)) {
            if (o.has("json")) std::cout << toJsonLine(ticketJson(t)) << "\n";
            else printTicketLine(t);
        }
        return kExitOk;
    });
}

int runShow(const Args& args) {
    return runCommand(args, {"json"}, {}, kShowUsage, [](const Options& o) {
        if (o.positional.size() != 1) throw UsageError("show needs one ticket number");
        std::string n = o.positional[0];
        if (!n.empty() && n[0] == '#') n.erase(0, 1);
        if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos) throw UsageError("not a ticket number: " + o.positional[0]);
        Context c = openContext(o);
        store::TicketStore tickets(c.store->db());
        auto t = tickets.get(std::stoll(n));
        if (!t) {
            std::cerr << "postdesk show: no ticket #" << n << "\n";
            return kExitNoInput;
        }
        if (o.has("json")) std::cout << toJsonLine(showJson(tickets, *t)) << "\n";
        else printShow(tickets, *t);
        return kExitOk;
    });
}

int runAttachment(const Args& args) {
    return runCommand(args, {}, {"out"}, kAttachmentUsage, [](const Options& o) {
        if (o.positional.size() != 1) throw UsageError("attachment needs one SHA-256 (show lists them)");
        const std::string& sha = o.positional[0];
        if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos)
            throw UsageError("not a SHA-256 in lower-case hex: " + sha);
        Context c = openContext(o);
        auto bytes = c.store->readAttachment(sha);
        if (!bytes) {
            std::cerr << "postdesk attachment: none stored with SHA-256 " << sha << "\n";
            return kExitNoInput;
        }
        if (auto out = o.value("out")) {
            std::ofstream file(*out, std::ios::binary | std::ios::trunc);
            if (!file.write(bytes->data(), static_cast<std::streamsize>(bytes->size())) || !file.flush()) {
                std::cerr << "postdesk attachment: cannot write " << *out << "\n";
                return kExitCantCreate;
            }
        } else {
            std::cout.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
        }
        return kExitOk;
    });
}

}  // namespace postdesk::app
