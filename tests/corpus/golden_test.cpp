// Golden corpus: our own hand-written tricky mails (tests/corpus/golden/*.eml), each checked
// against NAME.expected.json — the `postdesk parse --json` object plus what intake uses
// (auto_reason, original_message_id), pretty-printed so a diff reads well.
//
// Regenerate after an intended change, then review the diff:
//   POSTDESK_UPDATE_GOLDEN=1 build/tests/corpus_tests --gtest_filter='Golden*'
//   (or pass --update-golden)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/app/message_json.h"
#include "mime/parse.h"

namespace postdesk {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(POSTDESK_SOURCE_DIR) / "tests/corpus/golden";

bool updateRequested() {
    if (const char* e = std::getenv("POSTDESK_UPDATE_GOLDEN"); e && *e && std::string(e) != "0") return true;
    for (const auto& arg : ::testing::internal::GetArgvs())
        if (arg == "--update-golden") return true;
    return false;
}

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string goldenDump(const fs::path& eml) {
    mime::Message m = mime::parse(readAll(eml));
    auto obj = app::messageToJson(m, eml.filename().string());
    obj->set("auto_reason", m.auto_reason);
    obj->set("original_message_id", m.original_message_id ? Poco::Dynamic::Var(*m.original_message_id) : Poco::Dynamic::Var());
    return app::toJsonPretty(obj) + "\n";
}

std::vector<std::string> goldenNames() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(kGoldenDir))
        if (e.path().extension() == ".eml") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, ParseMatchesExpectedDump) {
    fs::path eml = kGoldenDir / (GetParam() + ".eml");
    fs::path expected = kGoldenDir / (GetParam() + ".expected.json");
    std::string actual = goldenDump(eml);
    if (updateRequested()) {
        std::ofstream(expected, std::ios::binary) << actual;
        GTEST_SKIP() << "rewrote " << expected;
    }
    ASSERT_TRUE(fs::exists(expected)) << expected << " is missing: run with POSTDESK_UPDATE_GOLDEN=1 and review it";
    EXPECT_EQ(actual, readAll(expected));
}

INSTANTIATE_TEST_SUITE_P(Corpus, Golden, ::testing::ValuesIn(goldenNames()),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                             return n;
                         });

}  // namespace
}  // namespace postdesk
