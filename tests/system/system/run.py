#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# Runner of the `system` suite: the system as a user meets it.
#
# Part 1, the script boot: boots --images/ntos-system.elf (whose smss.cfg
# loads the drivers and runs `ntcmd.exe /s system.cmd`), splits the serial
# output into the transcript's sections (a line "<directory>> <command>"
# starts one) and checks each command's output against CHECKS and
# DRIVER_CHECKS, the line editor driven by `ntcmd /k keys.txt`, the clock
# against the host's, then smss's own lines (drivers reported, links made,
# a bad statement skipped, the shell's exit status, one restart, giving up,
# powering off: QEMU ends with guest exit code 0).
#
# Part 3, two short boots: smss runs `ntcmd.exe /c "... & poweroff"` and
# `... & reboot`; the machine must power off (guest exit code 0) and reset
# (QEMU, with -no-reboot, exits with status 0), and nothing after the
# command may run. (It runs before part 2.)
#
# Part 2, the interactive boot: boots --interactive-module (build/ntos/
# ntos.elf, what `make run` boots) with the serial line on a pipe, waits
# for the prompt, types lines with editing keys (VT100 sequences) and
# checks the echoed results, runs a second shell in the foreground (it gets
# the serial line, then gives it back), starts one in the background, reads
# its modules and kills it, types on the PS/2 keyboard through QEMU's
# monitor (sendkey), then `poweroff`.
#
# Prints the serial protocol of docs/layout.md; full logs go to --log and
# --log with "-interactive" before the extension.

import argparse
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tools"))
import qemu  # noqa: E402

SUITE = "system"
PROMPT_RE = re.compile(r"^(\\[^>]*)> (.*)$")
# Part 1 is over when QEMU powers off; should smss's power-off be refused,
# at that line.
END_RE = r"smss: cannot power off"
STATUS_RE = r"STATUS_[A-Z_0-9]+ \(0x[0-9A-F]{8}\): [A-Za-z]"

# (test, command as in system.cmd, patterns every one of which some output
# line of that command must match, patterns no output line may match)
CHECKS = [
    ("help_lists_commands", "help",
     [r"^  help \[command\]", r"^  poweroff ", r"^  devtree ", r"^  <program> \[args\]"], []),
    ("echo", "echo hello from the script", [r"^hello from the script$"], []),
    ("set_shows_smss_variable", "set NEREID_SUITE", [r"^NEREID_SUITE=system$"], []),
    ("set_assigns", "set NEREID_SHELL", [r"^NEREID_SHELL=works well$"], []),
    ("variables_expand", "echo [%NEREID_SHELL%] [%NO_SUCH_VARIABLE%]",
     [r"^\[works well\] \[%NO_SUCH_VARIABLE%\]$"], []),
    ("set_removes", "set NEREID_SHELL=", [], [r"."]),
    ("set_missing_variable", "set nereid_shell",
     [r"^set nereid_shell: STATUS_VARIABLE_NOT_FOUND \(0xC0000100\): "], []),
    ("set_lists", "set", [r"^NEREID_SUITE=system$"], [r"NEREID_SHELL"]),
    ("ver", "ver", [r"^Nereid \d+\.\d+, NT 10\.0 build \d+ \(x64\)$",
                    r"^kernel: NT 10\.0 \(KUSER_SHARED_DATA\)$"], []),
    ("date", "date", [r"^20\d\d-\d\d-\d\d \((Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day\)$"], []),
    ("time", "time", [r"^\d\d:\d\d:\d\d\.\d\d\d UTC$"], []),
    ("sysinfo", "sysinfo",
     [r"^memory: +[1-9]\d* KiB physical \(\d+ pages of 4096 bytes\), 1 processor",
      r"^ +[1-9]\d* KiB available, \d+ KiB committed$", r"^processes: +([2-9]|[1-9]\d+)$",
      r"^uptime: +\d+:\d\d:\d\d \(\d+ s\)$"], [r"STATUS_"]),
    ("ps", "ps", [r"^  PID  PPID  THREADS  NAME$", r"^ +\d+ +\d+ +1  smss\.exe$",
                  r"^ +\d+ +\d+ +1  ntcmd\.exe$"], []),
    ("ps_names_drivers", "ps", [r"^ +\d+ +\d+ +\d+  ntoskrnl\.exe \[null\.sys\]$",
                                r"^ +\d+ +\d+ +\d+  ntoskrnl\.exe \[serial\.sys\]$"], []),
    ("kill_unknown_pid", "kill 999",
     [r"^kill 999: STATUS_INVALID_CID \(0xC000000B\): the client ID is not valid$"], []),
    ("kill_usage", "kill nine", [r"^usage: kill <pid>$"], []),
    ("cd_shows_directory", "cd", [r"^\\Device$"], []),
    ("cd_relative", "cd ..", [], [r"."]),
    ("cd_missing", "cd \\NoSuchDirectory",
     [r"^cd \\NoSuchDirectory: STATUS_OBJECT_NAME_NOT_FOUND \(0xC0000034\): "], []),
    ("dir_links_show_targets", "dir \\??",
     [r"^  SHELLTEST +SymbolicLink -> \\Device\\Nowhere$",
      r"^  NUL +SymbolicLink -> \\Device\\Null$"],
     []),
    ("dir_object_types", "dir \\ObjectTypes",
     [r"^  Process +Type$", r"^  Directory +Type$", r"^  SymbolicLink +Type$",
      r"^  \d+ entries$"], []),
    ("dir_driver", "dir \\Driver", [r"^ Directory of \\Driver$", r"^  \d+ entries$"], [r"STATUS_"]),
    ("dir_missing", "dir \\NoSuchDirectory",
     [r"^dir \\NoSuchDirectory: STATUS_OBJECT_NAME_NOT_FOUND \(0xC0000034\): "], []),
    ("devtree", "devtree", [r"^drivers \(\\Driver\):$", r"^  \d+ driver\(s\)$",
                            r"^devices \(\\Device\):$", r"^  \d+ device\(s\)$"], []),
    ("devtree_drivers_and_devices", "devtree",
     [r"^  \\Driver\\null +Driver, process \d+ \(null\.sys\)$",
      r"^  \\Driver\\serial +Driver, process \d+ \(serial\.sys\)$",
      r"^  \\Device\\Null +Device$", r"^  \\Device\\Serial0 +Device$",
      r"^  \\Device\\KeyboardClass0 +Device$"], []),
    ("lm", "lm", [r"^  base +size +name$", r"^  0000000140000000  [0-9a-f]{8}  ntcmd\.exe$",
                  r"^  00007ffa00000000  [0-9a-f]{8}  ntdll\.dll$"], []),
    ("lm_by_name", "lm smss.exe", [r"^  0000000140000000  [0-9a-f]{8}  smss\.exe$",
                                   r"^  00007ffa00000000  [0-9a-f]{8}  ntdll\.dll$"], []),
    ("lm_unknown_name", "lm nosuch.exe",
     [r"^lm nosuch\.exe: STATUS_NOT_FOUND \(0xC0000225\): "], []),
    ("run_program_with_arguments", "hello a b",
     [r"^Hello from a native NT program$", r"command line: hello a b$",
      r"^hello exited with status 0x00001234$"], []),
    ("start_program", "start pschild exit 5", [r"^started pschild \(process \d+\)$"], []),
    ("unknown_command", "nosuchprogram arg",
     [r"^nosuchprogram: not a command, nor a program under \\SystemRoot"], []),
    ("nested_shell_c_mode", 'ntcmd /c "echo nested & exit 3"',
     [r"^nested$", r"^ntcmd exited with status 0x00000003$"], []),
    ("driver_usage", "driver frob null", [r"^usage: driver load\|unload <name>$"], []),
    ("ampersand_separates", "echo one & echo two", [r"^one$", r"^two$"], []),
    ("cls", "cls", [r"\x1b\[2J\x1b\[H"], []),
]

# dirctl branch: directory files (\SystemRoot) through NtQueryDirectoryFile,
# with a mask and from the current directory.
DIRCTL_CHECKS = [
    ("dir_systemroot_files", "dir \\SystemRoot\\*.sys",
     [r"^  null\.sys +\d+$", r"^  \d+ file\(s\), \d+ bytes$"], [r"STATUS_", r"ntdll\.dll"]),
    ("dir_one_file", "dir \\SystemRoot\\hello.exe",
     [r"^  hello\.exe +\d+$", r"^  1 file\(s\), \d+ bytes$"], [r"STATUS_"]),
    ("dir_after_cd_systemroot", "dir",
     [r"^ Directory of \\SystemRoot$", r"^  ntdll\.dll +\d+$", r"^  hello\.exe +\d+$"],
     [r"STATUS_"]),
]

# The drivers smss loaded (null, beep): the script unloads null, loads it
# again and sounds a short tone.
DRIVER_CHECKS = [
    ("driver_unload", "driver unload null", [r"^driver unload null: done$"], [r"STATUS_"]),
    ("driver_load", "driver load null", [r"^driver load null: done$"], [r"STATUS_"]),
    ("beep", "beep 440 10", [r"^beep: 440 Hz for 10 ms$"], [r"STATUS_"]),
]

# The nested shell of `ntcmd /k keys.txt` (keys typed from a file, see
# build.mk): each edited line's result, in order, between the command and
# the nested shell's exit.
TYPED_COMMAND = "ntcmd /k keys.txt"
TYPED_RESULTS = [
    ("typed_echo", r"^typed$"),
    ("typed_left_insert", r"^world$"),
    ("typed_backspace", r"^abc$"),
    ("typed_history_up", r"^abc$"),
    ("typed_home_end", r"^hi!$"),
    ("typed_delete", r"^xz$"),
    ("typed_ss3_home_end", r"^cd!$"),
    ("typed_ctrl_a_e", r"^ef!$"),
    ("typed_ctrl_c", r"\^C$"),
    ("typed_cd_prompt", r"^\\Device> "),
    ("typed_exit_status", r"^ntcmd exited with status 0x00000005$"),
]

# smss's own lines in part 1.
SMSS_CHECKS = [
    ("smss_starts", r"^ntos: started smss\.exe$"),
    ("smss_banner", r"^smss: Nereid session manager starting$"),
    ("smss_driver_reported",
     r"^smss: (loaded driver null|driver null not loaded: " + STATUS_RE + ")"),
    ("smss_link", r"^smss: link \\\?\?\\NUL -> \\Device\\Null$"),
    ("smss_bad_statement", r"^smss: smss\.cfg line \d+: unknown statement 'frobnicate' skipped$"),
    ("smss_starts_shell", r"^smss: started ntcmd\.exe /s system\.cmd \(process \d+\)$"),
    ("smss_shell_exit_status", r"^smss: the shell exited with status 0x00000007$"),
    ("smss_restarts_shell", r"^smss: starting the shell again$"),
    ("smss_gives_up", r"^smss: the shell ended 2 time\(s\) in a row within 3600 s of its start; "
                      r"not starting it again$"),
    ("smss_powers_off", r"^smss: powering off$"),
]


def report(name, ok, why=""):
    if ok:
        print("TEST-PASS %s.%s" % (SUITE, name))
    else:
        print("TEST-FAIL %s.%s: %s" % (SUITE, name, why))
    return 0 if ok else 1


def sections(lines):
    """command -> list of output lines (a command run twice: the first run)."""
    out, current = {}, None
    for line in lines:
        m = PROMPT_RE.match(line)
        if m:
            current = m.group(2)
            if current in out:
                current = None  # the shell's second run: the first run counts
            else:
                out[current] = []
        elif line.startswith("smss: ") or line.startswith("process "):
            pass  # smss's and ntos's lines are not the command's
        elif current is not None:
            out[current].append(line)
    return out


def check_command(name, output, must, must_not):
    if output is None:
        return report(name, False, "the command never ran (no prompt line for it)")
    for pattern in must:
        if not any(re.search(pattern, line) for line in output):
            return report(name, False, "no line matches /%s/; output: %s"
                          % (pattern, " | ".join(output)[-400:]))
    for pattern in must_not:
        bad = [line for line in output if re.search(pattern, line)]
        if bad:
            return report(name, False, "unexpected line %r" % bad[0][:200])
    return report(name, True)


def check_clock(by_command):
    """date and time say what the host's clock says (QEMU's RTC starts at the
    host's time in UTC), within two minutes."""
    import datetime
    failed = 0
    now = datetime.datetime.now(datetime.timezone.utc)
    dates = {(now + datetime.timedelta(seconds=d)).strftime("%Y-%m-%d") for d in (-120, 0, 120)}
    shown = [l for l in by_command.get("date") or [] if re.match(r"^\d{4}-\d\d-\d\d ", l)]
    failed += report("date_is_real", bool(shown) and shown[0][:10] in dates,
                     "date said %r, the host says %s" % (shown[:1], sorted(dates)))
    shown = [l for l in by_command.get("time") or [] if re.match(r"^\d\d:\d\d:\d\d", l)]
    ok = False
    if shown:
        h, m, sec = (int(x) for x in shown[0][:8].split(":"))
        guest = h * 3600 + m * 60 + sec
        host = now.hour * 3600 + now.minute * 60 + now.second
        ok = min(abs(guest - host), 86400 - abs(guest - host)) <= 120
    failed += report("time_is_real", ok, "time said %r, the host says %s"
                     % (shown[:1], now.strftime("%H:%M:%S")))
    return failed


def check_typed(lines):
    """The results of the typed keys, in order, after the /k command's prompt line."""
    failed = 0
    try:
        at = lines.index("\\> " + TYPED_COMMAND) + 1
    except ValueError:
        return sum(report(n, False, "no line '\\> %s'" % TYPED_COMMAND) for n, _ in TYPED_RESULTS)
    for name, pattern in TYPED_RESULTS:
        found = next((i for i in range(at, len(lines)) if re.search(pattern, lines[i])), None)
        failed += report(name, found is not None, "no /%s/ after line %d: %s"
                         % (pattern, at, " | ".join(lines[at:at + 12])[-400:]))
        if found is not None:
            at = found + 1
    failed += report("typed_never_runs", not any(l == "never" for l in lines),
                     "the line cancelled with Ctrl-C ran")
    return failed


def part_one(args):
    cmd = qemu.qemu_command(kernel=args.kernel,
                            module=os.path.join(args.images, "ntos-system.elf"))
    res = qemu.run_capture(cmd, args.timeout, log_path=args.log, stop_on=END_RE)
    lines = res.lines
    failed = 0
    if res.error or res.timed_out:
        failed += report("script_boot", False, res.describe())
    by_command = sections(lines)
    for name, command, must, must_not in CHECKS:
        failed += check_command(name, by_command.get(command), must, must_not)
    for name, command, must, must_not in DRIVER_CHECKS:
        failed += check_command(name, by_command.get(command), must, must_not)
    for name, command, must, must_not in DIRCTL_CHECKS:  # dirctl branch
        failed += check_command(name, by_command.get(command), must, must_not)
    failed += check_typed(lines)
    failed += check_clock(by_command)
    # The prompt follows the current directory.
    failed += report("prompt_follows_cd", any(l == "\\Device> cd" for l in lines),
                     "no line '\\Device> cd' after cd \\Device")
    failed += report("cd_parent_then_relative", any(l == "\\ObjectTypes> cd .." for l in lines),
                     "no line '\\ObjectTypes> cd ..' after cd ..\\ObjectTypes")
    for name, pattern in SMSS_CHECKS:
        failed += report(name, any(re.search(pattern, l) for l in lines),
                         "no line matches /%s/" % pattern)
    unloaded = [d for d in ("null", "beep", "serial", "i8042prt", "kbdclass")
                if "smss: loaded driver " + d not in lines]
    failed += report("smss_loads_drivers", not unloaded, "not loaded: %s" % unloaded)
    # ntos powers off through isa-debug-exit with guest code 0.
    failed += report("poweroff_ends_qemu",
                     not res.timed_out and qemu.guest_exit_code(res.status) == 0 and
                     any(l == "ntos: shutdown (power off)" for l in lines),
                     "expected 'ntos: shutdown (power off)' and guest exit code 0; %s"
                     % res.describe())
    bugchecks = [l for l in lines if "bugcheck" in l]
    failed += report("no_bugcheck", not bugchecks, bugchecks[0][:300] if bugchecks else "")
    return failed, lines


class Session:
    """QEMU with the serial line on pipes, read byte by byte."""

    def __init__(self, cmd, log_path):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.text = ""
        self.lock = threading.Lock()
        self.log = open(log_path, "w")
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            data = self.proc.stdout.read1(4096) if hasattr(self.proc.stdout, "read1") \
                else os.read(self.proc.stdout.fileno(), 4096)
            if not data:
                break
            chunk = data.decode("utf-8", "replace")
            with self.lock:
                self.text += chunk
            self.log.write(chunk)
            self.log.flush()

    def expect(self, pattern, start, timeout):
        """The match of pattern in the output after offset start, or None."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern, re.M)
        while time.monotonic() < deadline:
            with self.lock:
                m = regex.search(self.text, start)
            if m:
                return m
            if self.proc.poll() is not None:
                time.sleep(0.2)
                with self.lock:
                    return regex.search(self.text, start)
            time.sleep(0.05)
        return None

    def mark(self):
        with self.lock:
            return len(self.text)

    def type(self, keys):
        # A person types: one byte at a time, so no FIFO overruns.
        for b in keys.encode():
            self.proc.stdin.write(bytes([b]))
            self.proc.stdin.flush()
            time.sleep(0.01)

    def close(self):
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            qemu._kill(self.proc)
        self.log.close()


# (test, keys typed at the prompt, pattern of the result)
INTERACTIVE = [
    ("interactive_echo", "echo typed\r", r"^typed\r?$"),
    ("interactive_left_insert", "echo wrld\x1b[D\x1b[D\x1b[Do\r", r"^world\r?$"),
    ("interactive_backspace", "echo abcx\x7f\r", r"^abc\r?$"),
    ("interactive_history_up", "\x1b[A\r", r"^abc\r?$"),
    ("interactive_home_end", "cho hi\x1b[He\x1b[F!\r", r"^hi!\r?$"),
    ("interactive_delete", "echo xyz\x1b[D\x1b[D\x1b[3~\r", r"^xz\r?$"),
    ("interactive_cd_prompt", "cd \\Device\r", r"\\Device> "),
]


INTERACTIVE_LATER = ["interactive_nested_shell", "interactive_kill", "interactive_lm_other_process",
                     "interactive_keyboard", "interactive_poweroff"]


def monitor_socket(cmd, path):
    """cmd with QEMU's monitor on a unix socket (for sendkey) instead of none."""
    out = list(cmd)
    i = out.index("-monitor")
    out[i + 1] = "unix:%s,server=on,wait=off" % path
    return out


def send_keys(path, keys):
    """Press keys on the PS/2 keyboard through the monitor's sendkey."""
    import socket
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(path)
        for key in keys:
            s.sendall(("sendkey %s\n" % key).encode())
            time.sleep(0.1)
        time.sleep(0.5)


def typed_cases(session):
    failed = 0
    for name, keys, pattern in INTERACTIVE:
        at = session.mark()
        session.type(keys)
        m = session.expect(pattern, at, 30)
        failed += report(name, m is not None, "no /%s/ after typing %r; got %r"
                         % (pattern, keys, session.text[at:][-200:]))
    return failed


def nested_shell_case(session):
    """A shell run from the shell in the foreground gets the serial line
    (the first one lets go of it while the program runs) and hands it back."""
    at = session.mark()
    session.type("ntcmd\r")
    # The new shell starts at "\\", the first one is in \\Device.
    if session.expect(r"^\\> ", at, 30) is None:
        return report("interactive_nested_shell", False, "no prompt of the second shell: %r"
                      % session.text[at:][-200:])
    time.sleep(0.5)
    at = session.mark()
    session.type("echo inner\r")
    inner = session.expect(r"^inner\r?$", at, 30)
    at = session.mark()
    session.type("exit 4\r")
    ended = session.expect(r"^ntcmd exited with status 0x00000004", at, 30)
    at = session.mark()
    session.type("echo outer\r")
    outer = session.expect(r"^outer\r?$", at, 30)
    return report("interactive_nested_shell", bool(inner and ended and outer),
                  "inner %s, exit %s, outer %s: %r" % (bool(inner), bool(ended), bool(outer),
                                                       session.text[-300:]))


def process_cases(session):
    """start a second shell (it waits for input), read its modules, kill it."""
    failed = 0
    at = session.mark()
    session.type("start ntcmd\r")
    m = session.expect(r"^started ntcmd \(process (\d+)\)", at, 30)
    if m is None:
        return report("interactive_kill", False, "start ntcmd printed no process id") + \
            report("interactive_lm_other_process", False, "no process to read")
    pid = m.group(1)
    # The second shell finds the serial device taken (it is exclusive); it
    # may read the keyboard, or say that it has no device. Its banner and
    # prompt must be out of the way before more is typed.
    session.expect(r"^(ntcmd: no input device|\\> )", at, 10)
    time.sleep(0.5)
    at = session.mark()
    session.type("lm %s\r" % pid)
    failed += report("interactive_lm_other_process",
                     session.expect(r"^  0000000140000000  [0-9a-f]{8}  ntcmd\.exe", at, 30)
                     is not None, "lm %s: %r" % (pid, session.text[at:][-200:]))
    at = session.mark()
    session.type("kill %s\r" % pid)
    failed += report("interactive_kill",
                     session.expect(r"^kill %s: terminated" % pid, at, 30) is not None,
                     "kill %s: %r" % (pid, session.text[at:][-200:]))
    return failed


def keyboard_case(session, socket_path):
    at = session.mark()
    send_keys(socket_path, ["e", "c", "h", "o", "spc", "k", "shift-b", "d", "caps_lock", "x",
                            "caps_lock", "ret"])
    return report("interactive_keyboard", session.expect(r"^kBdX\r?$", at, 30) is not None,
                  "typed echo kBdX on the keyboard; got %r" % session.text[at:][-200:])


def poweroff_case(session):
    at = session.mark()
    session.type("poweroff\r")
    try:
        session.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        return report("interactive_poweroff", False, "QEMU did not exit after poweroff")
    code = qemu.guest_exit_code(session.proc.returncode)
    return report("interactive_poweroff", code == 0,
                  "QEMU status %s, not guest exit code 0" % session.proc.returncode)


def part_two(args):
    names = ["interactive_prompt"] + [n for n, _, _ in INTERACTIVE] + INTERACTIVE_LATER
    log = re.sub(r"(\.log)?$", "-interactive.log", args.log, count=1)
    socket_path = log + ".monitor"
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    cmd = monitor_socket(qemu.qemu_command(kernel=args.kernel, module=args.interactive_module),
                         socket_path)
    session = Session(cmd, log)
    try:
        if session.expect(r"^\\> ", 0, args.timeout / 2) is None:
            return report("interactive_prompt", False, "no prompt '\\> '") + len(names) - 1
        failed = report("interactive_prompt", True)
        failed += typed_cases(session)
        failed += nested_shell_case(session)
        failed += process_cases(session)
        failed += keyboard_case(session, socket_path)
        failed += poweroff_case(session)
    finally:
        session.close()
        if os.path.exists(socket_path):
            os.unlink(socket_path)
    return failed


# The shutdown boots: (image, test, what the shell says, ntos's line, how
# QEMU must end: ("guest", code) through isa-debug-exit, ("status", n)).
SHUTDOWNS = [
    ("poweroff", "shell_poweroff", r"^powering off from the shell$",
     r"^ntos: shutdown \(power off\)$", ("guest", 0)),
    ("reboot", "shell_reboot", r"^rebooting from the shell$",
     r"^ntos: shutdown \(reboot\)$", ("status", 0)),
]


def part_three(args):
    """The shell's poweroff and reboot, each in a boot of its own."""
    failed = 0
    for image, name, said, ntos_line, (kind, value) in SHUTDOWNS:
        log = re.sub(r"(\.log)?$", "-%s.log" % image, args.log, count=1)
        cmd = qemu.qemu_command(kernel=args.kernel,
                                module=os.path.join(args.images, "ntos-%s.elf" % image))
        res = qemu.run_capture(cmd, 60, log_path=log)
        lines = res.lines
        why = None
        for pattern in (said, r"^%s: shutting down$" % image, ntos_line):
            if why is None and not any(re.search(pattern, l) for l in lines):
                why = "no line matches /%s/" % pattern
        if why is None and any(l == "still here" for l in lines):
            why = "the command after %s ran" % image
        if why is None and res.timed_out:
            why = "QEMU did not end"
        ended = qemu.guest_exit_code(res.status) if kind == "guest" else res.status
        if why is None and ended != value:
            why = "expected %s %d; %s" % (kind, value, res.describe())
        failed += report(name, why is None, why or "")
    return failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=qemu.DEFAULT_KERNEL)
    ap.add_argument("--images", default="build/tests/system/system")
    ap.add_argument("--interactive-module", default="build/ntos/ntos.elf")
    ap.add_argument("--timeout", type=float, default=240.0)
    ap.add_argument("--log", default="build/test-results/system-serial.log")
    a = ap.parse_args()
    os.makedirs(os.path.dirname(a.log), exist_ok=True)
    failed, _ = part_one(a)
    failed += part_three(a)
    failed += part_two(a)
    print("SUITE-END %s" % SUITE)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
