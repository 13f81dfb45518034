#include "gateway/bridge/chat_alerts.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "gateway/bridge/chat_intake.h"
#include "gateway/bridge/chat_policy.h"
#include "gateway/store/chat_store.h"
#include "gateway/store/outbox.h"
#include "gateway/store/ticket_store.h"
#include "replies/chat_text.h"

namespace postdesk::bridge {

int ChatAlerts::run() {
    int queued = 0;
    store::ChatStore chats(store_.db());
    const std::int64_t now = clock_();
    for (auto c : chats.waitingForAnswer()) {
        // The waiting message tells the chat's type (for the policy) and what to quote.
        std::optional<rules::ChatEvent> waiting;
        for (const auto& e : chats.entries(c.id, false, c.unanswered_message_id)) {
            std::string error;
            if (e.message_id != c.unanswered_message_id || e.edit_date != 0) continue;
            waiting = parseStoredUpdate(e.bot, e.raw, error);
            break;
        }
        ChatSettings cs = chatSettingsFor(settings_, c.chat_id, waiting ? waiting->chat_type : "", c.source);
        auto alert = rules::decideUnanswered(c.unanswered_since, c.alert_level, cs.policy.unanswered_s, now);
        if (!alert) continue;
        replies::UnansweredAlertMail mail;
        const std::string from = intakeAddressFor(settings_, cs.queue);
        mail.from = {"postdesk", from};
        for (const auto& a : settings_.agents)
            if (std::find(a.queues.begin(), a.queues.end(), cs.queue) != a.queues.end()) mail.to.push_back({a.name, a.address});
        if (mail.to.empty()) continue;  // nobody to tell: configured so
        mail.message_id = "chat-alert." + std::to_string(c.id) + "." + std::to_string(c.unanswered_since) + "." +
                          std::to_string(alert->level) + "@" + settings_.telegram.bridge_domain;
        mail.source = c.source;
        mail.chat_id = c.chat_id;
        mail.thread_key = c.thread_key;
        mail.ticket = c.ticket;
        mail.chat_message_id = c.unanswered_message_id;
        mail.unanswered_since = c.unanswered_since;
        mail.level = alert->level;
        if (waiting) {
            mail.chat_title = waiting->chat_title;
            mail.customer = waiting->from;
            mail.text = waiting->text;
        }
        mime::ComposeResult composed = replies::composeUnansweredAlert(mail, now);
        if (!composed.error.empty()) {
            Poco::Logger::get("bridge").error("conversation#%Ld: alert not composed: %s", static_cast<long long>(c.id), composed.error);
            continue;
        }
        store::Transaction tx(store_.db());
        if (chats.recordAlert(c.id, c.unanswered_since, alert->level, now)) {
            std::vector<std::string> rcpt;
            for (const auto& a : mail.to) rcpt.push_back(a.address);
            store::Outbox(store_.db()).enqueue({c.ticket ? std::optional<std::int64_t>(c.ticket) : std::nullopt, "alert", mail.message_id, from, rcpt,
                                                composed.bytes, ""},
                                               now);
            if (c.ticket)
                store::TicketStore(store_.db()).addEvent(c.ticket, alert->level == 1 ? "chat-unanswered" : "chat-escalated",
                                                         "waiting " + std::to_string(alert->waited_s / 60) + " min", now);
            ++queued;
        }
        c.alert_level = alert->level;
        chats.saveConversation(c);
        tx.commit();
    }
    return queued;
}

}  // namespace postdesk::bridge
