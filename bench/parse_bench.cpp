// parse_bench: mime::parse over a corpus held in memory.
//
//   parse_bench DIR [--kinds plain,alternative,...] [--runs 5] [--hash] [--vector avx2|scalar] [--dump FILE]
//
// Loads every *.eml of DIR (filtered by the `kind` column of DIR/MANIFEST.tsv when --kinds is
// given), then times parse() of every mail — header decoding, the MIME tree, transfer decoding of
// every part, charset conversion of all text to UTF-8, HTML to text, reply extraction — and prints mails/s, MB/s (1 MB = 1e6 bytes of raw input) and peak RSS for
// each run, then the median run. --dump writes every field of every parsed Message to FILE (untimed),
// so that a change meant to be faster only can be checked to give the same results (diff two dumps).
// --hash also times mime::sha256Hex() of every attachment, as ingest does before it stores one
// (the parser itself hashes nothing). --vector caps the base64 decoder's instructions below what the
// CPU has (AVX-512 VBMI, AVX2), to see what a narrower machine gets.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "mime/detail/cpu_features.h"
#include "mime/digest.h"
#include "mime/parse.h"

namespace fs = std::filesystem;

namespace {

long rssKb(const char* field) {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
    return 0;
}

std::set<std::string> wantedFiles(const fs::path& dir, const std::string& kinds) {
    std::set<std::string> files, want;
    std::stringstream ks(kinds);
    for (std::string k; std::getline(ks, k, ',');) want.insert(k);
    std::ifstream manifest(dir / "MANIFEST.tsv");
    for (std::string line; std::getline(manifest, line);) {
        auto tab = line.find('\t');
        if (tab == std::string::npos) continue;
        auto tab2 = line.find('\t', tab + 1);
        if (want.count(line.substr(tab + 1, tab2 - tab - 1))) files.insert(line.substr(0, tab));
    }
    return files;
}

std::vector<std::string> loadCorpus(const fs::path& dir, const std::string& kinds) {
    std::set<std::string> filter = kinds.empty() ? std::set<std::string>{} : wantedFiles(dir, kinds);
    std::vector<fs::path> paths;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".eml" && (kinds.empty() || filter.count(e.path().filename().string())))
            paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    std::vector<std::string> mails;
    for (const auto& p : paths) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        mails.push_back(std::move(ss).str());
    }
    return mails;
}

struct Run {
    double seconds;
    std::size_t decodedBytes;
};

Run runOnce(const std::vector<std::string>& mails, bool hash) {
    std::size_t decoded = 0, digestChars = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& raw : mails) {
        postdesk::mime::Message m = postdesk::mime::parse(raw);
        decoded += m.text.size() + (m.html ? m.html->size() : 0);
        for (const auto& a : m.attachments) {
            decoded += a.size;
            if (hash) digestChars += postdesk::mime::sha256Hex(a.data).size();
        }
    }
    auto t1 = std::chrono::steady_clock::now();
    if (hash && digestChars % 64 != 0) std::abort();  // keeps the digests from being optimised away
    return {std::chrono::duration<double>(t1 - t0).count(), decoded};
}

void dumpAddress(std::ostream& o, const char* what, const postdesk::mime::Address& a) {
    o << what << ": " << a.name << " <" << a.address << ">\n";
}

void dumpOpt(std::ostream& o, const char* what, const std::optional<std::string>& v) {
    o << what << ": " << (v ? "\"" + *v + "\"" : "null") << "\n";
}

// Every field of the Message, decoded attachment bytes by their SHA-256.
void dump(std::ostream& o, const std::string& raw) {
    using namespace postdesk::mime;
    Message m = parse(raw);
    dumpOpt(o, "message_id", m.message_id);
    dumpOpt(o, "in_reply_to", m.in_reply_to);
    for (const auto& r : m.references) o << "reference: " << r << "\n";
    dumpOpt(o, "date", m.date);
    o << "date_epoch: " << (m.date_epoch ? std::to_string(*m.date_epoch) : "null") << " tz " << m.date_tz_minutes << "\n";
    o << "subject: " << m.subject << "\n";
    dumpAddress(o, "from", m.from);
    dumpAddress(o, "sender", m.sender);
    dumpOpt(o, "return_path", m.return_path);
    for (const auto& a : m.to) dumpAddress(o, "to", a);
    for (const auto& a : m.cc) dumpAddress(o, "cc", a);
    for (const auto& a : m.reply_to) dumpAddress(o, "reply_to", a);
    o << "auto: " << toString(m.auto_kind) << " (" << m.auto_reason << ")\n";
    o << "text: " << m.text.size() << "\n" << m.text << "\n";
    dumpOpt(o, "html", m.html);
    o << "reply_text: " << m.reply_text.size() << "\n" << m.reply_text << "\n";
    for (const auto& a : m.attachments)
        o << "attachment: " << a.filename << " | " << a.content_type << " | " << a.size << " | " << postdesk::mime::sha256Hex(a.data) << " | "
          << a.inline_ << " | " << a.content_id << " | data " << (a.data.size() == a.size) << "\n";
    for (const auto& h : m.headers) o << "header: " << h.name << ": " << h.raw << "\n  => " << h.value << "\n";
    for (const auto& w : m.warnings) o << "warning: " << w.code << ": " << w.detail << "\n";
    dumpOpt(o, "original_message_id", m.original_message_id);
    o << "raw_size: " << m.raw_size << "\n";
    dumpOpt(o, "error", m.error);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: parse_bench DIR [--kinds k1,k2] [--runs N] [--hash] [--vector avx2|scalar] [--dump FILE]\n";
        return 64;
    }
    std::string kinds, dumpFile;
    int runs = 5;
    bool hash = false;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--hash") hash = true;
        else if (i + 1 < argc && arg == "--kinds") kinds = argv[++i];
        else if (i + 1 < argc && arg == "--runs") runs = std::stoi(argv[++i]);
        else if (i + 1 < argc && arg == "--dump") dumpFile = argv[++i];
        else if (i + 1 < argc && arg == "--vector") {
            std::string v = argv[++i];
            postdesk::mime::detail::limitVectorLevel(v == "scalar" ? postdesk::mime::detail::VectorLevel::Scalar
                                                                   : postdesk::mime::detail::VectorLevel::Avx2);
        }
    }
    std::vector<std::string> mails = loadCorpus(argv[1], kinds);
    std::size_t bytes = 0;
    for (const auto& m : mails) bytes += m.size();
    long rssLoaded = rssKb("VmRSS:");
    static constexpr const char* kLevel[] = {"scalar", "AVX2", "AVX-512 VBMI"};
    std::printf("corpus: %zu mails, %.1f MB%s%s%s; base64 with %s\n", mails.size(), bytes / 1e6, kinds.empty() ? "" : ", kinds ",
                kinds.c_str(), hash ? ", with SHA-256 of every attachment" : "",
                kLevel[static_cast<int>(postdesk::mime::detail::vectorLevel())]);
    if (!dumpFile.empty()) {
        std::ofstream out(dumpFile, std::ios::binary);
        for (std::size_t k = 0; k < mails.size(); ++k) {
            out << "=== mail " << k << "\n";
            dump(out, mails[k]);
        }
    }
    std::vector<double> times;
    for (int r = 0; r < runs; ++r) {
        Run run = runOnce(mails, hash);
        times.push_back(run.seconds);
        std::printf("run %d: %.3f s  %.0f mails/s  %.0f MB/s  decoded %zu bytes\n", r + 1, run.seconds,
                    mails.size() / run.seconds, bytes / 1e6 / run.seconds, run.decodedBytes);
    }
    std::sort(times.begin(), times.end());
    double med = times[times.size() / 2];
    long peak = rssKb("VmHWM:");
    std::printf("median: %.0f mails/s, %.0f MB/s; peak RSS %.1f MiB, %.1f MiB above the loaded corpus\n",
                mails.size() / med, bytes / 1e6 / med, peak / 1024.0, (peak - rssLoaded) / 1024.0);
    return 0;
}
