// `postdesk chats [list|outbox|quarantine] [--json]`: what the chat bridge holds — conversations
// and their tickets, what the bot has posted or still has to, and updates that could not be read.
#include <Poco/JSON/Object.h>

#include <iostream>

#include "gateway/app/context.h"
#include "gateway/app/message_json.h"
#include "gateway/bridge/chat_bridge.h"
#include "gateway/store/chat_store.h"
#include "mime/date.h"

namespace postdesk::app {
namespace {

using Poco::JSON::Object;

constexpr const char* kUsage =
    "usage: postdesk chats [list | outbox | quarantine] [--json] [--config FILE]\n"
    "       postdesk chats webhook info|delete [--json] | webhook set URL [--config FILE]\n"
    "  list:       chat conversations (newest first): chat, ticket, subject, who waits for an answer\n"
    "  outbox:     messages the bot posts: notices and agents' replies, with their state\n"
    "  quarantine: chat updates that could not be parsed, with the reason (the raw JSON is kept)\n"
    "  webhook:    Telegram's webhook for this bot: set URL (with [telegram] webhook_secret as the\n"
    "              secret token), delete (back to polling), info (pending updates, last error)\n";

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }
Poco::Dynamic::Var orNull(std::int64_t v) { return v ? Poco::Dynamic::Var(v) : Poco::Dynamic::Var(); }
Poco::Dynamic::Var timeOrNull(std::int64_t t) { return t ? Poco::Dynamic::Var(mime::formatIsoUtc(t)) : Poco::Dynamic::Var(); }

int list(store::ChatStore& chats, bool json) {
    for (const auto& c : chats.allConversations()) {
        if (json) {
            Object::Ptr o = newObject();
            o->set("conversation", c.id);
            o->set("source", c.source);
            o->set("chat", c.chat_id);
            o->set("thread", c.thread_key);
            o->set("ticket", orNull(c.ticket));
            o->set("subject", c.subject);
            o->set("opened", timeOrNull(c.opened_at));
            o->set("last_message", timeOrNull(c.last_msg_at));
            o->set("records", c.record_seq);
            o->set("unanswered_since", timeOrNull(c.unanswered_since));
            o->set("alert_level", c.alert_level);
            std::cout << toJsonLine(o) << "\n";
        } else {
            std::cout << "#" << c.id << "  " << c.source << " " << c.chat_id << (c.thread_key ? "/" + std::to_string(c.thread_key) : "") << "  "
                      << (c.ticket ? "ticket #" + std::to_string(c.ticket) : c.subject.empty() ? "no ticket" : "ticket requested") << "  "
                      << c.subject << (c.unanswered_since ? "  (waiting since " + mime::formatIsoUtc(c.unanswered_since) + ")" : "") << "\n";
        }
    }
    return kExitOk;
}

int outbox(store::ChatStore& chats, bool json) {
    for (const auto& r : chats.listOutbox()) {
        if (json) {
            Object::Ptr o = newObject();
            o->set("id", r.id);
            o->set("source", r.source);
            o->set("chat", r.chat_id);
            o->set("ticket", orNull(r.ticket));
            o->set("kind", r.kind);
            o->set("state", r.state);
            o->set("attempts", r.attempts);
            o->set("next_attempt", timeOrNull(r.next_attempt_at));
            o->set("last_error", r.last_error.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.last_error));
            o->set("sent_message_id", orNull(r.sent_message_id));
            o->set("text", r.text);
            std::cout << toJsonLine(o) << "\n";
        } else {
            std::cout << r.id << "  " << r.state << "  " << r.kind << "  " << r.source << " " << r.chat_id
                      << (r.ticket ? "  ticket #" + std::to_string(r.ticket) : "") << (r.last_error.empty() ? "" : "  (" + r.last_error + ")")
                      << "\n";
        }
    }
    return kExitOk;
}

int quarantine(store::ChatStore& chats, bool json) {
    for (const auto& u : chats.quarantinedUpdates()) {
        if (json) {
            Object::Ptr o = newObject();
            o->set("id", u.id);
            o->set("bot", u.bot);
            o->set("key", u.update_key);
            o->set("received", timeOrNull(u.received_at));
            o->set("error", u.error);
            o->set("raw", u.raw);
            std::cout << toJsonLine(o) << "\n";
        } else {
            std::cout << u.id << "  " << u.bot << " " << u.update_key << "  " << u.error << "\n";
        }
    }
    return kExitOk;
}

int webhook(const Context& c, const Options& o) {
    if (!c.settings.telegram.enabled()) throw config::ConfigError(c.settings.config_file, "telegram.token", "is required for chats webhook");
    bridge::TelegramApi api(bridge::telegramSettings(c.settings.telegram));
    std::string verb = o.positional.size() > 1 ? o.positional[1] : "info";
    auto report = [](const net::Outcome& outcome, const bridge::BotApiError& error) {
        std::cerr << "postdesk chats webhook: " << (error.description.empty() ? outcome.message : error.description) << "\n";
        return outcome.kind == net::OutcomeKind::Config ? kExitConfig : outcome.kind == net::OutcomeKind::Temporary ? kExitTempFail : 1;
    };
    if (verb == "set") {
        if (o.positional.size() < 3) throw UsageError("chats webhook set needs the public HTTPS URL of POST /telegram");
        if (c.settings.telegram.webhook_secret.size() < 16)
            throw config::ConfigError(c.settings.config_file, "telegram.webhook_secret", "needs at least 16 characters for a webhook");
        bridge::WebhookRegistration reg;
        reg.url = o.positional[2];
        reg.secret_token = c.settings.telegram.webhook_secret;
        reg.allowed_updates = {"message", "edited_message", "channel_post", "edited_channel_post", "my_chat_member"};
        auto r = api.setWebhook(reg);
        if (!r.ok()) return report(r.outcome, r.error);
        std::cout << "webhook set: " << reg.url << " (set [telegram] mode = webhook and [http] listen)\n";
        return kExitOk;
    }
    if (verb == "delete") {
        auto r = api.deleteWebhook(false);
        if (!r.ok()) return report(r.outcome, r.error);
        std::cout << "webhook deleted: getUpdates works again (set [telegram] mode = poll)\n";
        return kExitOk;
    }
    if (verb != "info") throw UsageError("chats webhook wants info, set URL or delete");
    auto r = api.getWebhookInfo();
    if (!r.ok()) return report(r.outcome, r.error);
    const bridge::WebhookInfo& w = *r.value;
    if (o.has("json")) {
        Object::Ptr j = newObject();
        j->set("url", w.url);
        j->set("pending_update_count", w.pending_update_count);
        j->set("last_error", timeOrNull(w.last_error_date));
        j->set("last_error_message", w.last_error_message);
        std::cout << toJsonLine(j) << "\n";
    } else {
        std::cout << "url: " << (w.url.empty() ? "(none: polling)" : w.url) << "\npending updates: " << w.pending_update_count << "\n";
        if (w.last_error_date) std::cout << "last error: " << mime::formatIsoUtc(w.last_error_date) << " " << w.last_error_message << "\n";
    }
    return kExitOk;
}

}  // namespace

int runChats(const Args& args) {
    return runCommand(args, {"json"}, {}, kUsage, [](const Options& o) {
        std::string verb = o.positional.empty() ? "list" : o.positional[0];
        Context c = openContext(o);
        store::ChatStore chats(c.store->db());
        if (verb == "list") return list(chats, o.has("json"));
        if (verb == "outbox") return outbox(chats, o.has("json"));
        if (verb == "quarantine") return quarantine(chats, o.has("json"));
        if (verb == "webhook") return webhook(c, o);
        throw UsageError("unknown chats command " + verb);
    });
}

}  // namespace postdesk::app
