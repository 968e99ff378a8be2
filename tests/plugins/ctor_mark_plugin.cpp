// A sink plugin whose constructor leaves a mark: check-config must read plugins, not run them
// (issue 16, item 17). The mark goes to the file named by WW_CTOR_MARK, when set.
#include <cstdio>
#include <cstdlib>

#include <wirewatch/plugin.hpp>

namespace {

__attribute__((constructor)) void leave_mark() {
    const char* file = std::getenv("WW_CTOR_MARK");
    if (!file) return;
    if (std::FILE* out = std::fopen(file, "w")) {
        std::fputs("constructor ran\n", out);
        std::fclose(out);
    }
}

class MarkSink {
public:
    MarkSink(ww::plugin::Host, ww::plugin::Options& o) { o.reject_unknown(); }
    void deliver(const ww_alert&, ww_delivery& d) { d.outcome = WW_DELIVERED; }
};

}  // namespace

WW_DEFINE_PLUGIN(MarkSink)
