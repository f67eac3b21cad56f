#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drive an interactive `ktstr shell` through a pseudo-terminal (tests/cli/shell.sh).

  shell_pty.py keys|sigterm KTSTR [ARGS...]

Starts KTSTR shell ARGS... as the session leader of a new pty (the pty its
controlling terminal, as a terminal emulator would), waits for the guest's
prompt, then:

  keys     types `echo hello-$((6*7))` and expects hello-42; checks the
           window size and line editing (Backspace, Up); runs `sleep 100`,
           types Ctrl-C and expects the prompt back at once; Ctrl-A h and
           expects the keys' help; Ctrl-A x and expects ktstr to exit 0;
  sigterm  sends ktstr SIGTERM and expects it to exit 143.

Either way the pty must be back in its cooked mode (ICANON, ECHO) after ktstr
exits. Prints "ok NAME" or "FAIL NAME" per check; exits 1 when any failed.
"""
import os
import select
import signal
import subprocess
import sys
import termios
import time

PROMPT = b'ktstr:/# '


class Pty:
    def __init__(self, argv):
        self.master, self.slave = os.openpty()
        # A terminal of a usual size: the guest gets it (shell-size).
        termios.tcsetwinsize(self.slave, (30, 100))
        self.proc = subprocess.Popen(argv, stdin=self.slave, stdout=self.slave,
                                     stderr=self.slave, start_new_session=True,
                                     preexec_fn=self._ctty)
        self.buf = b''
        self.failed = 0

    def _ctty(self):
        import fcntl
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    def read_for(self, secs):
        end = time.time() + secs
        while time.time() < end:
            r, _, _ = select.select([self.master], [], [], 0.1)
            if r:
                try:
                    d = os.read(self.master, 65536)
                except OSError:
                    return
                self.buf += d

    def wait_for(self, pat, secs):
        end = time.time() + secs
        while time.time() < end:
            if pat in self.buf:
                return True
            self.read_for(0.1)
        return pat in self.buf

    def type(self, data):
        os.write(self.master, data)

    def check(self, name, ok):
        print(('ok ' if ok else 'FAIL ') + name, flush=True)
        if not ok:
            self.failed += 1
            print('  last output: %r' % self.buf[-1500:], flush=True)
        return ok

    def exit_status(self, secs):
        end = time.time() + secs
        while time.time() < end:
            rc = self.proc.poll()
            if rc is not None:
                return rc
            self.read_for(0.1)
        self.proc.kill()
        return None


def main():
    mode, argv = sys.argv[1], sys.argv[2:]
    p = Pty(argv)
    if not p.check('the prompt', p.wait_for(PROMPT, 120)):
        p.proc.kill()
        return 1
    p.check('the banner says how to leave', b'Ctrl-A x leaves' in p.buf)
    p.check('the terminal is raw while the shell runs',
            not termios.tcgetattr(p.slave)[3] & (termios.ICANON | termios.ECHO | termios.ISIG))
    if mode == 'keys':
        p.buf = b''
        p.type(b'echo hello-$((6*7))\r')
        p.check('a command runs: hello-42', p.wait_for(b'hello-42', 30))
        p.wait_for(PROMPT, 10)
        p.buf = b''
        p.type(b'stty size\r')
        p.check('the guest saw a terminal of 30 rows, 100 columns', p.wait_for(b'30 100', 20))
        p.wait_for(PROMPT, 10)
        p.buf = b''
        p.type(b'echo edit-mx\x7fe\r')
        p.check('line editing: Backspace', p.wait_for(b'\r\nedit-me\r\n', 20))
        p.wait_for(PROMPT, 10)
        p.buf = b''
        p.type(b'\x1b[A\r')
        p.check('line editing: Up recalls the last line', p.wait_for(b'\r\nedit-me\r\n', 20))
        p.wait_for(PROMPT, 10)
        p.buf = b''
        p.type(b'sleep 100\r')
        p.wait_for(b'sleep 100\r\n', 10)
        p.read_for(1.0)
        t0 = time.time()
        p.type(b'\x03')
        back = p.wait_for(PROMPT, 30)
        p.check('Ctrl-C stops sleep 100 in the guest: the prompt is back (%.1fs)' %
                (time.time() - t0), back and time.time() - t0 < 20 and b'^C' in p.buf)
        p.buf = b''
        p.type(b'\x01h')
        p.check('Ctrl-A h shows the keys', p.wait_for(b'Ctrl-A x leaves the VM', 10))
        p.type(b'\x01x')
        rc = p.exit_status(30)
        p.check('Ctrl-A x: ktstr exits 0 (got %s)' % rc, rc == 0)
        p.check('... saying so', b'left the VM' in p.buf)
    else:
        p.proc.send_signal(signal.SIGTERM)
        rc = p.exit_status(30)
        p.check('SIGTERM: ktstr exits 143 (got %s)' % rc, rc == 143)
    attrs = termios.tcgetattr(p.slave)
    lflag = attrs[3]
    p.check('the terminal is cooked again (ICANON, ECHO)',
            bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO))
    return 1 if p.failed else 0


if __name__ == '__main__':
    sys.exit(main())
