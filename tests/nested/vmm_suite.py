#!/usr/bin/env python3
# vmm_suite.py BUILDDIR: the meson test 'nested-vmm' (suite 'nested', TAP).
#
# Runs every test of suite 'kvm' (the VMM's tests that need a working
# /dev/kvm: meson.build files put them in that suite too) with the command,
# environment and working directory meson gives it (BUILDDIR's
# meson-info/intro-tests.json), where KVM works: directly when this host's
# /dev/kvm can create a VM and a vCPU, else all of them in one boot of the
# nested proving ground (tests/nested/run: L1 under QEMU's TCG, whose
# emulated SVM gives L1 a working /dev/kvm). One TAP line per test, its whole
# output on stderr (meson's log). When L1's kernel locks up (QEMU's emulation,
# never the test's doing) the unfinished tests run once more in a fresh L1.
# No L1 to boot (no QEMU, no L1 kernel) skips, saying why.
#
#   NESTED_VMM_WHERE=auto|host|l1   where to run them (default auto)
#   NESTED_VMM_TIMEOUT_FACTOR=N     each test's meson timeout times N
#                                   (default 1 on the host, 3 in L1)
#   NESTED_VMM_L1_TIMEOUT=S         the whole L1 run (default 1100 s)
import fcntl
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(SRC, "tests", "nested", "run")
FETCH = os.path.join(SRC, ".ci", "fetch-l1-kernel")
# Variables of meson's own test environment that the tests should see in L1 too.
PASS_ENV = ("MALLOC_PERTURB_", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
            "MESON_TEST_ITERATION", "NO_COLOR")
KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_CREATE_VCPU = 0xAE00, 0xAE01, 0xAE41


def kvm_usable():
    """(True, '') when /dev/kvm can create a VM with a vCPU, else (False, why)."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        return False, f"/dev/kvm: {e.strerror}"
    try:
        if fcntl.ioctl(fd, KVM_GET_API_VERSION) != 12:
            return False, "/dev/kvm: KVM API version is not 12"
        vm = fcntl.ioctl(fd, KVM_CREATE_VM, 0)
        try:
            os.close(fcntl.ioctl(vm, KVM_CREATE_VCPU, 0))
        finally:
            os.close(vm)
        return True, ""
    except OSError as e:
        return False, f"/dev/kvm cannot create a VM and a vCPU: {e.strerror}"
    finally:
        os.close(fd)


def kvm_tests(builddir):
    with open(os.path.join(builddir, "meson-info", "intro-tests.json")) as f:
        tests = json.load(f)
    return [t for t in tests if any(s == "kvm" or s.endswith(":kvm") for s in t["suite"])]


def l1_script(tests, builddir, factor, only=None):
    """A bash script that runs each test (those numbered in ONLY), leaving I.log
    (its output) and I.rc (exit status, milliseconds) in $NESTED_OUT for the
    I-th test."""
    lines = [
        "set -u",
        'out=${NESTED_OUT:?}',
        "t() {	# I SECONDS DIR CMD...",
        "	local i=$1 secs=$2 dir=$3 s",
        "	shift 3",
        "	s=$(date +%s%N)",
        '	(cd "$dir" && exec timeout -k 10 "$secs" "$@") >"$out/$i.log" 2>&1 </dev/null',
        '	echo "$? $(( ($(date +%s%N) - s) / 1000000 ))" >"$out/$i.rc"',
        "}",
    ]
    for i, t in enumerate(tests, 1):
        if only is not None and i not in only:
            continue
        env = [f"{k}={v}" for k, v in sorted(t["env"].items())]
        words = [str(i), str(int(t["timeout"] or 0) * factor), t["workdir"] or builddir,
                 "env"] + env + t["cmd"]
        lines.append("t " + " ".join(shlex.quote(w) for w in words))
    return "\n".join(lines) + "\n"


def pack_list(tests, builddir):
    """The files the tests read: their programs, and files named by their environment."""
    paths = set()
    for t in tests:
        cwd = t["workdir"] or builddir
        for word in t["cmd"] + list(t["env"].values()):
            p = os.path.join(cwd, word)
            if os.path.isfile(p):
                paths.add(os.path.realpath(p))
        prog = shutil.which(t["cmd"][0])
        if prog and os.path.basename(prog) == "valgrind":
            paths.update(valgrind_files())
    return sorted(paths)


def valgrind_files():
    """What valgrind's memcheck loads for an amd64 program."""
    d = "/usr/libexec/valgrind"
    names = ("memcheck-amd64-linux", "vgpreload_core-amd64-linux.so",
             "vgpreload_memcheck-amd64-linux.so", "default.supp")
    return [os.path.join(d, n) for n in names if os.path.exists(os.path.join(d, n))]


def run_l1(tests, builddir, script, out, env):
    """tests/nested/run SCRIPT in L1, with the tests' files packed: (status, its stderr)."""
    cmd = [RUN, "--out", out, "--timeout", os.environ.get("NESTED_VMM_L1_TIMEOUT", "1100")]
    for p in [script] + pack_list(tests, builddir):
        cmd += ["--pack", p]
    for k in PASS_ENV:
        if k in os.environ:
            cmd += ["--env", f"{k}={os.environ[k]}"]
    cmd += ["--", "bash", script]
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, errors="replace")
    try:
        stdout, stderr = child.communicate()
    except BaseException:
        child.terminate()	# tests/nested/run stops L1 and cleans up on SIGTERM
        child.wait(timeout=60)
        raise
    sys.stderr.write(stdout + stderr)
    if child.returncode != 0:
        try:
            with open(os.path.join(out, "l1-console.log"), errors="replace") as f:
                sys.stderr.write("===== L1's console\n" + f.read() + "\n")
        except OSError:
            pass
    return child.returncode, stderr


def skip_reason(log):
    lines = [l.strip() for l in log.splitlines() if l.strip()]
    for l in lines:
        if "SKIP" in l or "skip" in l:
            return l[5:].strip() if l.startswith("SKIP:") else l
    return lines[-1] if lines else "exit status 77, no output"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: vmm_suite.py BUILDDIR")
    builddir = os.path.abspath(sys.argv[1])
    tests = kvm_tests(builddir)
    if not tests:
        print("1..0 # SKIP no test is in suite 'kvm'")
        return 0
    where = os.environ.get("NESTED_VMM_WHERE", "auto")
    if where not in ("auto", "host", "l1"):
        sys.exit(f"vmm_suite.py: NESTED_VMM_WHERE={where}: not auto, host or l1")
    usable, why = kvm_usable()
    if where == "auto":
        where = "host" if usable else "l1"
    if where == "l1":
        # No L1 to boot is a skip that says why, as for the e2e tests without a kernel.
        missing = [t for t in ("qemu-system-x86_64", "busybox", "cpio") if not shutil.which(t)]
        if missing:
            print(f"1..0 # SKIP {', '.join(missing)} not installed, so no L1 for them ({why})")
            return 0
        if not os.environ.get("NESTED_L1_ROOT"):
            r = subprocess.run(["bash", FETCH], capture_output=True, text=True, errors="replace")
            if r.returncode != 0:
                last = (r.stderr.strip().splitlines() or ["failed"])[-1]
                print(f"1..0 # SKIP no L1 kernel ({last}), and {why}")
                return 0
    factor = int(os.environ.get("NESTED_VMM_TIMEOUT_FACTOR", "1" if where == "host" else "3"))
    with tempfile.TemporaryDirectory(prefix="nested-vmm.") as work:
        out = os.path.join(work, "out")
        os.mkdir(out)
        script = os.path.join(work, "tests.sh")
        with open(script, "w") as f:
            f.write(l1_script(tests, builddir, factor))
        env = dict(os.environ)
        start = time.monotonic()
        if where == "host":
            print(f"# running {len(tests)} tests of suite 'kvm' on this host "
                  f"({'its /dev/kvm works' if usable else 'NESTED_VMM_WHERE=host'})", flush=True)
            env["NESTED_OUT"] = out
            rc = subprocess.run(["bash", script], env=env).returncode
        else:
            print(f"# running {len(tests)} tests of suite 'kvm' in L1 (tests/nested/run): "
                  f"this host's KVM cannot ({why or 'NESTED_VMM_WHERE=l1'})", flush=True)
            for boot in (1, 2):
                pending = {n for n in range(1, len(tests) + 1)
                           if not os.path.exists(os.path.join(out, f"{n}.rc"))}
                with open(script, "w") as f:
                    f.write(l1_script(tests, builddir, factor, pending))
                rc, stderr = run_l1(tests, builddir, script, out, env)
                # An L1 kernel lockup is QEMU's (TCG emulating nested SVM), never a
                # test's result: the unfinished tests get one fresh L1.
                if rc == 0 or boot == 2 or "nested-run: L1 locked up" not in stderr:
                    break
                print(f"# L1 locked up (its console is in the log): the unfinished tests "
                      f"run again in a fresh L1", flush=True)
            if rc != 0 and not any(n.endswith(".rc") for n in os.listdir(out)):
                last = (stderr.strip().splitlines() or [f"tests/nested/run exited {rc}"])[-1]
                print(f"Bail out! L1 could not run the tests: {last}")
                return 1
        elapsed = time.monotonic() - start
        print(f"1..{len(tests)}")
        failed = skipped = 0
        for n, t in enumerate(tests, 1):
            name = t["name"]
            try:
                with open(os.path.join(out, f"{n}.log"), errors="replace") as f:
                    log = f.read()
            except OSError:
                log = ""
            try:
                with open(os.path.join(out, f"{n}.rc")) as f:
                    code, ms = (int(x) for x in f.read().split())
            except (OSError, ValueError):
                code, ms = None, 0
            sys.stderr.write(f"===== {name} ({where}): "
                             f"{'did not finish' if code is None else f'exit {code}'}, "
                             f"{ms / 1000:.1f} s: {' '.join(t['cmd'])}\n{log}\n")
            what = f"{name} ({where}, {ms / 1000:.1f} s)"
            if code == 0:
                print(f"ok {n} {what}")
            elif code == 77 and where == "host" and not usable:
                skipped += 1
                print(f"ok {n} {what} # SKIP {skip_reason(log)}")
            elif code == 77:
                # This suite runs where KVM works: a test that skips there hides
                # a broken setup (a missing guest, a KVM the probe refused).
                failed += 1
                print(f"not ok {n} {what}: skipped where KVM works: {skip_reason(log)}")
            else:
                failed += 1
                why = ("did not finish (L1 ended or timed out)" if code is None else
                       f"timed out after {int(t['timeout']) * factor} s" if code == 124 else
                       f"exit {code}")
                print(f"not ok {n} {what}: {why}")
        print(f"# {len(tests) - failed - skipped} passed, {failed} failed, {skipped} skipped "
              f"({where}, {elapsed:.0f} s in all)")
        # Failed tests are "not ok" lines (meson: FAIL); a non-zero status means
        # the harness itself had trouble (meson: ERROR).
        return 1 if rc != 0 else 0


def on_signal(signum, frame):
    raise SystemExit(128 + signum)	# unwinds: the L1 run is stopped, the temporary files go


for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
    signal.signal(sig, on_signal)
sys.exit(main())
