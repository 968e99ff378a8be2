"""`cmake --install` into a DESTDIR and the Debian package: the FHS tree, the shipped config
that validates, and a unit that `systemd-analyze verify` accepts and `systemd-analyze security`
rates at an exposure of 2.0 or lower (the figure is recorded in docs/operations.md, and this test
keeps the two in step).

systemd-analyze runs offline (it needs no running systemd); the test skips its checks only when
the tool is absent or cannot verify even a trivial unit here, and says why."""

import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

from wwtest import BIN_DIR, SOURCE_DIR
import wwtest

BUILD_DIR = os.path.dirname(os.path.abspath(BIN_DIR))
UNIT = "usr/lib/systemd/system/wirewatch.service"
MAX_EXPOSURE = 2.0


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def systemd_analyze_problem():
    """Why systemd-analyze cannot check units here, or None when it can."""
    tool = shutil.which("systemd-analyze")
    if not tool:
        return "systemd-analyze is not installed (Debian package systemd)"
    with tempfile.TemporaryDirectory() as d:
        probe = os.path.join(d, "ww-probe.service")
        with open(probe, "w") as f:
            f.write("[Service]\nExecStart=/bin/true\n")
        r = run([tool, "verify", "--man=no", probe])
        if r.returncode != 0:
            return f"systemd-analyze cannot verify even a trivial unit here: {r.stderr.strip()}"
    return None


def exposure_of(unit_path):
    r = run(["systemd-analyze", "security", "--offline=yes", "--no-pager", unit_path])
    m = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", r.stdout)
    if not m:
        raise AssertionError(f"no exposure level in systemd-analyze output:\n{r.stdout}\n{r.stderr}")
    return float(m.group(1)), r.stdout


def verify_unit(test, root, unit_path):
    """systemd-analyze verify on an installed unit. It checks that ExecStart= exists on this
    host; when wirewatchd is not installed for real, the copy it checks points at the staged
    binary instead, and nothing else changes."""
    with open(unit_path) as f:
        text = f.read()
    with tempfile.TemporaryDirectory() as d:
        copy = os.path.join(d, "wirewatch.service")
        if not os.path.exists("/usr/bin/wirewatchd"):
            text = text.replace("ExecStart=/usr/bin/wirewatchd", f"ExecStart={root}/usr/bin/wirewatchd")
        with open(copy, "w") as f:
            f.write(text)
        r = run(["systemd-analyze", "verify", "--man=no", copy])
        test.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        test.assertEqual(r.stderr.strip(), "", "systemd-analyze verify has remarks")


class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = wwtest.tempdir("ww-destdir-")
        env = dict(os.environ, DESTDIR=cls.root)
        r = run(["cmake", "--install", BUILD_DIR, "--prefix", "/usr"], env=env)
        if r.returncode != 0:
            raise AssertionError(f"cmake --install failed:\n{r.stdout}\n{r.stderr}")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def path(self, rel):
        return os.path.join(self.root, rel)

    def test_fhs_tree(self):
        for exe in ("usr/bin/wirewatchd", "usr/bin/wirewatch"):
            self.assertTrue(os.access(self.path(exe), os.X_OK), exe)
        self.assertTrue(os.path.isdir(self.path("usr/lib/wirewatch/plugins")))
        built = sorted(f for f in os.listdir(os.path.join(BUILD_DIR, "plugins"))
                       if f.endswith(".so")) if os.path.isdir(os.path.join(BUILD_DIR, "plugins")) else []
        installed = sorted(os.listdir(self.path("usr/lib/wirewatch/plugins")))
        self.assertEqual(installed, built, "every built plugin is installed, and nothing else")
        for d in ("etc/wirewatch/feeds.d", "etc/wirewatch/watchlists.d"):
            self.assertTrue(os.path.isdir(self.path(d)), d)
        creds = os.stat(self.path("etc/wirewatch/credentials"))
        self.assertEqual(stat.S_IMODE(creds.st_mode), 0o700, "secrets directory is root-only")
        with open(os.path.join(SOURCE_DIR, "config", "wirewatch.toml"), "rb") as a, \
                open(self.path("etc/wirewatch/wirewatch.toml"), "rb") as b:
            self.assertEqual(a.read(), b.read(), "the documented example config is shipped as it is")
        if os.path.exists(os.path.join(SOURCE_DIR, "config", "stem-overrides.tsv")):
            self.assertTrue(os.path.isfile(self.path("etc/wirewatch/stem-overrides.tsv")))
        self.assertTrue(os.path.isfile(self.path(UNIT)))
        self.assertTrue(os.path.isfile(self.path("usr/share/doc/wirewatch/operations.md")))
        # Nothing lands in the multiarch libdir, /usr/etc or /usr/local.
        for stray in ("usr/etc", "usr/local", "etc/systemd"):
            self.assertFalse(os.path.exists(self.path(stray)), stray)

    def test_installed_config_passes_check_config(self):
        r = run([self.path("usr/bin/wirewatch"), "check-config",
                 "--plugin-dir", self.path("usr/lib/wirewatch/plugins"),
                 self.path("etc/wirewatch/wirewatch.toml")])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_unit_verifies_and_is_hardened(self):
        problem = systemd_analyze_problem()
        if problem:
            self.skipTest(problem)
        unit = self.path(UNIT)
        verify_unit(self, self.root, unit)
        exposure, report = exposure_of(unit)
        self.assertLessEqual(exposure, MAX_EXPOSURE, report)
        with open(os.path.join(SOURCE_DIR, "docs", "operations.md")) as f:
            documented = re.search(r"exposure level of \*\*(\d+\.\d+)\*\*", f.read())
        self.assertIsNotNone(documented, "docs/operations.md records the exposure level")
        self.assertEqual(float(documented.group(1)), exposure, "docs/operations.md records another figure")

    def test_unit_for_another_prefix_points_there(self):
        root = wwtest.tempdir("ww-destdir-local-")
        try:
            r = run(["cmake", "--install", BUILD_DIR, "--prefix", "/opt/wirewatch"], env=dict(os.environ, DESTDIR=root))
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(root, "opt/wirewatch/lib/systemd/system/wirewatch.service")) as f:
                unit = f.read()
            self.assertIn("ExecStart=/opt/wirewatch/bin/wirewatchd --config /opt/wirewatch/etc/wirewatch/wirewatch.toml", unit)
            self.assertTrue(os.path.isfile(os.path.join(root, "opt/wirewatch/etc/wirewatch/wirewatch.toml")))
        finally:
            shutil.rmtree(root, ignore_errors=True)


class DebianPackage(unittest.TestCase):
    def test_cpack_builds_a_deb_whose_unit_verifies(self):
        if not shutil.which("cpack") or not shutil.which("dpkg-deb"):
            self.skipTest("cpack or dpkg-deb missing")
        out = wwtest.tempdir("ww-deb-")
        try:
            r = run(["cpack", "-G", "DEB", "--config", os.path.join(BUILD_DIR, "CPackConfig.cmake"), "-B", out],
                    cwd=BUILD_DIR)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            debs = [f for f in os.listdir(out) if f.endswith(".deb")]
            self.assertEqual(len(debs), 1, os.listdir(out))
            deb = os.path.join(out, debs[0])
            self.assertTrue(debs[0].startswith("wirewatch_"), debs[0])
            info = run(["dpkg-deb", "--field", deb, "Package", "Depends"]).stdout
            self.assertIn("Package: wirewatch", info)
            for lib in ("libcurl4", "libzmq5", "libsqlite3-0", "libsystemd0"):
                self.assertIn(lib, info, "dependencies come from dpkg-shlibdeps")
            conffiles = run(["dpkg-deb", "--info", deb, "conffiles"]).stdout
            self.assertIn("/etc/wirewatch/wirewatch.toml", conffiles)
            root = os.path.join(out, "root")
            self.assertEqual(run(["dpkg-deb", "-x", deb, root]).returncode, 0)
            for f in ("usr/bin/wirewatchd", "usr/bin/wirewatch", UNIT, "etc/wirewatch/wirewatch.toml"):
                self.assertTrue(os.path.exists(os.path.join(root, f)), f)
            problem = systemd_analyze_problem()
            if problem:
                self.skipTest(problem)
            verify_unit(self, root, os.path.join(root, UNIT))
        finally:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    wwtest.main()  # ctest: Skipped when a test skipped (docs/testing.md)
