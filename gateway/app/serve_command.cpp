// `postdesk serve`: the long-running service (Poco ServerApplication: foreground, or --daemon with
// --pidfile; SIGTERM/SIGINT stop it cleanly after the current step).
//
// Threads: one intake loop per mailbox (one IMAP connection each; poll_interval between passes,
// exponential backoff with jitter after a failure, capped at 15 minutes), and one ingest loop,
// woken by intake when mail arrives and every few seconds as a safety net (STYLE.md §1).
#include <Poco/Event.h>
#include <Poco/Logger.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/ServerApplication.h>

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <random>
#include <thread>

#include "gateway/app/context.h"
#include "gateway/app/live_config.h"
#include "gateway/bridge/chat_bridge.h"
#include "gateway/http/webhook_server.h"
#include "gateway/app/service.h"
#include "gateway/intake/imap_intake.h"
#include "gateway/send/sender.h"
#include "gateway/store/inbound_queue.h"
#include "gateway/store/outbox.h"

namespace postdesk::app {
namespace {

Poco::Logger& log() { return Poco::Logger::get("serve"); }

class Service : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        ServerApplication::defineOptions(options);
        options.addOption(Poco::Util::Option("config", "c", "configuration file").required(false).repeatable(false).argument("FILE")
                              .callback(Poco::Util::OptionCallback<Service>(this, &Service::setConfig)));
        options.addOption(Poco::Util::Option("help", "h", "show this help").required(false).repeatable(false)
                              .callback(Poco::Util::OptionCallback<Service>(this, &Service::showHelp)));
    }

    int main(const std::vector<std::string>&) override {
        if (helpShown_) return EXIT_OK;
        Options o;
        if (!config_.empty()) o.values["config"] = config_;
        Context c = openContext(o);
        requireCleanAdminFiles(c);
        int recovered = store::InboundQueue(*c.store).recoverActive();
        if (recovered) log().notice("%d inbound rows were active at the last stop: queued again", recovered);
        log().information("postdesk serve: %z mailboxes, store %s", c.settings.mailboxes.size(), c.settings.store_path);
        // Bound first: a port that cannot be bound is a configuration error before any thread runs.
        std::unique_ptr<http::WebhookServer> webhooks;
        if (!c.settings.http_listen.empty()) {
            webhooks = std::make_unique<http::WebhookServer>(c.settings, [this] { bridgeWake_.set(); });
            log().information("webhooks on %s (port %d)", c.settings.http_listen, webhooks->port());
        }
        // Ingest wakes for every mail intake hands over, not only after intake's whole pass: intake
        // may be waiting for the room ingest makes by taking them (raw_handoff.h).
        c.handoff->setListener([this] { wake_.set(); });
        std::vector<std::thread> threads;
        for (const auto& m : c.settings.mailboxes) threads.emplace_back([this, &c, m] { intakeLoop(c, m); });
        threads.emplace_back([this, &c] { ingestLoop(c); });
        if (!c.settings.smtp.url.empty()) threads.emplace_back([this, &c] { sendLoop(c); });
        if (c.settings.telegram.enabled() || !c.settings.chat_webhook.secret.empty()) threads.emplace_back([this, &c] { bridgeLoop(c); });
        if (c.settings.telegram.enabled() && c.settings.telegram.mode == "poll") threads.emplace_back([this, &c] { telegramLoop(c); });
        waitForTerminationRequest();
        log().information("stopping");
        webhooks.reset();
        stopping_ = true;
        stopEvent_.set();
        wake_.set();
        sendWake_.set();
        bridgeWake_.set();
        for (auto& t : threads) t.join();
        c.handoff->setListener(nullptr);
        return EXIT_OK;
    }

private:
    void setConfig(const std::string&, const std::string& value) { config_ = value; }
    void showHelp(const std::string&, const std::string&) {
        Poco::Util::HelpFormatter help(options());
        help.setCommand("postdesk serve");
        help.setHeader("Runs intake, ingest and the other stages until SIGTERM.");
        help.format(std::cout);
        helpShown_ = true;
        stopOptionsProcessing();
    }

    void intakeLoop(Context& c, const config::MailboxSettings& m) {
        // Each loop has its own store connection: SQLite connections are not shared across threads.
        store::Store store(c.settings.store_path);
        store.setHandoff(c.handoff);
        intake::ImapIntake intake(store, m);
        std::mt19937 rng(std::random_device{}());
        int failures = 0;
        while (!stopping_) {
            intake::IntakeResult r = intake.pollOnce();
            if (r.stored > 0) wake_.set();
            long waitMs = m.poll_interval * 1000L;
            if (!r.outcome.ok()) {
                ++failures;
                long backoff = std::min(900000L, 1000L << std::min(failures, 10));
                waitMs = backoff / 2 + static_cast<long>(rng() % static_cast<unsigned>(backoff / 2 + 1));  // jitter
                log().warning("mailbox %s: %s: %s; retry in %lds", m.name, std::string(net::toString(r.outcome.kind)),
                              r.outcome.message, waitMs / 1000);
            } else {
                if (failures) log().notice("mailbox %s: reachable again", m.name);
                failures = 0;
                if (r.fetched) log().information("mailbox %s: %d fetched, %d stored", m.name, r.fetched, r.stored);
            }
            stopEvent_.tryWait(waitMs);
        }
    }

    // Files what intake queued. Between batches it looks at rules/ and replies/ every
    // reload_interval seconds and swaps in a changed set once it checks clean (live_config.h).
    void ingestLoop(Context& c) {
        store::Store store(c.settings.store_path);
        store.setHandoff(c.handoff);
        LiveConfig live(c);
        auto rules = live.rules();
        auto templates = live.templates();
        ingest::Ingest stage(store, ingestSettings(c));
        stage.setRules(rules.get());
        stage.setTemplates(templates.get());
        const long reloadMs = c.settings.reload_interval * 1000L;
        auto lastCheck = std::chrono::steady_clock::now();
        while (!stopping_) {
            try {
                if (reloadMs > 0 && std::chrono::steady_clock::now() - lastCheck >= std::chrono::milliseconds(reloadMs)) {
                    lastCheck = std::chrono::steady_clock::now();
                    ReloadOutcome r = live.check();
                    if (r.rules_swapped) stage.setRules((rules = live.rules()).get());
                    if (r.templates_swapped) stage.setTemplates((templates = live.templates()).get());
                }
                ingest::IngestStats s = stage.drain(500);
                if (s.filed > 0) {
                    sendWake_.set();
                    bridgeWake_.set();  // a chat record may have become a ticket
                }
                if (s.filed + s.duplicates + s.deferred + s.quarantined > 0) continue;
            } catch (const std::exception& e) {  // e.g. SQLITE_BUSY under load: try again shortly
                log().warning("ingest: %s", std::string(e.what()));
            }
            wake_.tryWait(reloadMs > 0 ? std::min(5000L, reloadMs) : 5000L);
        }
    }

    // Delivers the outbox: woken when ingest filed something, and every few seconds for retries.
    void sendLoop(Context& c) {
        store::Store store(c.settings.store_path);
        store::Outbox(store.db()).recoverActive();
        send::Sender sender(store, c.settings);
        while (!stopping_) {
            try {
                send::SendStats s = sender.flush(200);
                if (s.sent + s.deferred + s.failed >= 200) continue;
            } catch (const std::exception& e) {
                log().warning("send: %s", std::string(e.what()));
            }
            sendWake_.tryWait(5000);
        }
    }

    // Telegram long polling: stores each batch (and its offset) and wakes the bridge loop.
    void telegramLoop(Context& c) {
        store::Store store(c.settings.store_path);
        bridge::ChatBridge chat(store, c.settings);
        int failures = 0;
        while (!stopping_) {
            try {
                bridge::ChatReceiveResult r = chat.receive(c.settings.telegram.poll_timeout);
                if (r.stored > 0) bridgeWake_.set();
                if (r.outcome.ok()) {
                    failures = 0;
                    continue;
                }
                ++failures;
                log().warning("telegram: %s: %s", std::string(net::toString(r.outcome.kind)), r.outcome.message);
            } catch (const std::exception& e) {
                ++failures;
                log().warning("telegram: %s", std::string(e.what()));
            }
            stopEvent_.tryWait(std::min(300000L, 1000L << std::min(failures, 8)));
        }
    }

    // The chat bridge's other stages (chat_bridge.h), woken by new updates and filed mail, and
    // every two seconds for follow-ups, alerts and retries.
    void bridgeLoop(Context& c) {
        store::Store store(c.settings.store_path);
        bridge::ChatBridge chat(store, c.settings);
        std::int64_t lastHealth = 0;
        while (!stopping_) {
            try {
                chat.ingestUpdates();
                if (chat.openRecords().opened > 0) wake_.set();
                chat.linkTickets();
                if (chat.followUps().follow_ups > 0) wake_.set();
                if (chat.alerts() > 0) sendWake_.set();
                chat.flush();
                if (systemNow() - lastHealth >= 3600) {
                    lastHealth = systemNow();
                    if (std::string w = chat.healthWarning(); !w.empty()) log().warning("%s", w);
                }
            } catch (const std::exception& e) {
                log().warning("bridge: %s", std::string(e.what()));
            }
            bridgeWake_.tryWait(2000);
        }
    }

    std::string config_;
    bool helpShown_ = false;
    Poco::Event bridgeWake_{Poco::Event::EVENT_AUTORESET};
    Poco::Event sendWake_{Poco::Event::EVENT_AUTORESET};
    std::atomic<bool> stopping_{false};
    Poco::Event stopEvent_{Poco::Event::EVENT_MANUALRESET};
    Poco::Event wake_{Poco::Event::EVENT_AUTORESET};
};

}  // namespace

int runServe(const Args& args) {
    // Block the stop signals before anything else (threads inherit the mask): a SIGTERM that
    // arrives while we start up then waits for waitForTerminationRequest()'s sigwait instead of
    // killing the process mid-step.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    for (int sig : {SIGINT, SIGQUIT, SIGTERM}) sigaddset(&stopSignals, sig);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::vector<std::string> argv{"postdesk-serve"};
    argv.insert(argv.end(), args.begin(), args.end());
    Service service;
    try {
        return service.run(argv);
    } catch (const config::ConfigError& e) {
        std::cerr << "postdesk: configuration error: " << e.what() << "\n";
        return kExitConfig;
    }
}

}  // namespace postdesk::app
