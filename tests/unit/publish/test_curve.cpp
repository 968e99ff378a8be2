#include "publish/curve.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace ww::publish {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "ww-curve-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp");
        path_ = pattern;
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

void write(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

TEST(Curve, KeyTextParsing) {
    const std::string key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    ASSERT_TRUE(is_z85_key(key));
    EXPECT_FALSE(is_z85_key(key.substr(1)));
    EXPECT_FALSE(is_z85_key(std::string(40, ' ')));
    auto both = parse_key_text("# c\ncurve\n    public-key = \"" + key + "\"\n    secret-key = '" +
                                   key + "'\n", "f");
    ASSERT_TRUE(both);
    EXPECT_EQ(both->public_keys, std::vector<std::string>{key});
    EXPECT_EQ(both->secret_keys, std::vector<std::string>{key});
    auto bare = parse_key_text(key + "  alice's laptop\n\n" + key + "\n", "f");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->public_keys.size(), 2u);
    const std::string hash_key = "#q:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    auto hashed = parse_key_text("# comment\n" + hash_key + "\n", "f");
    ASSERT_TRUE(hashed);
    EXPECT_EQ(hashed->public_keys, std::vector<std::string>{hash_key});
    auto bad = parse_key_text("# ok\nnot a key\n", "allow.txt");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("publish: allow.txt:2"), std::string::npos);
    EXPECT_FALSE(parse_key_text("public-key = \"short\"\n", "f"));
}

TEST(Curve, KeygenWritesPrivateFilesThatLoadBack) {
    TempDir dir;
    const auto pair = generate_keypair();
    ASSERT_TRUE(pair);
    EXPECT_EQ(*public_key_of(pair->secret_key), pair->public_key);
    auto files = write_keypair(*pair, dir.path() / "server");
    ASSERT_TRUE(files) << files.error().message;
    for (const auto& f : {files->public_file, files->secret_file}) {
        struct stat st{};
        ASSERT_EQ(::stat(f.c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u) << f;
    }
    auto loaded = load_secret_key_file(files->secret_file);
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(loaded->public_key, pair->public_key);
    EXPECT_EQ(loaded->secret_key, pair->secret_key);
    EXPECT_EQ(*load_public_key(files->public_file.string()), pair->public_key);
    EXPECT_EQ(*load_public_key(pair->public_key), pair->public_key);
    // The public file is not a secret key file, and nothing is overwritten.
    EXPECT_FALSE(load_secret_key_file(files->public_file));
    EXPECT_FALSE(write_keypair(*pair, dir.path() / "server"));
}

TEST(Curve, AllowlistsHoldPublicKeysOnly) {
    TempDir dir;
    const auto a = *generate_keypair();
    const auto b = *generate_keypair();
    write(dir.path() / "allow", "# clients\n" + a.public_key + " alice\npublic-key = \"" + b.public_key + "\"\n");
    auto list = load_allowlist(dir.path() / "allow");
    ASSERT_TRUE(list) << list.error().message;
    EXPECT_EQ(*list, (std::vector<std::string>{a.public_key, b.public_key}));
    auto files = *write_keypair(a, dir.path() / "a");
    EXPECT_FALSE(load_allowlist(files.secret_file));
    auto missing = load_allowlist(dir.path() / "nope");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("nope"), std::string::npos);
}

TEST(Curve, ServerOptionsFromTheConfig) {
    TempDir dir;
    const auto server = *generate_keypair();
    const auto client = *generate_keypair();
    const auto files = *write_keypair(server, dir.path() / "server");
    write(dir.path() / "allow", client.public_key + "\n");
    EXPECT_FALSE(curve_server_from("", "")->enabled());
    auto refused = curve_server_from("", dir.path() / "allow");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, "config");
    auto open = curve_server_from(files.secret_file, "");
    ASSERT_TRUE(open);
    EXPECT_EQ(open->secret_key, server.secret_key);
    EXPECT_FALSE(open->allowed_clients);
    auto listed = curve_server_from(files.secret_file, dir.path() / "allow");
    ASSERT_TRUE(listed);
    EXPECT_EQ(*listed->allowed_clients, std::vector<std::string>{client.public_key});
    EXPECT_FALSE(curve_server_from(files.public_file, ""));
}

TEST(Curve, ClientOptionsFromTheCommandLine) {
    TempDir dir;
    const auto server = *generate_keypair();
    EXPECT_FALSE(curve_client_from("", "")->enabled());
    EXPECT_FALSE(curve_client_from("", dir.path() / "x.key_secret"));
    auto ephemeral = curve_client_from(server.public_key, "");
    ASSERT_TRUE(ephemeral);
    EXPECT_TRUE(ephemeral->enabled());
    EXPECT_TRUE(is_z85_key(ephemeral->client.secret_key));
    const auto client = *generate_keypair();
    auto files = *write_keypair(client, dir.path() / "client");
    auto fixed = curve_client_from(server.public_key, files.secret_file);
    ASSERT_TRUE(fixed);
    EXPECT_EQ(fixed->client.public_key, client.public_key);
}

}  // namespace
}  // namespace ww::publish
