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
# Part 4, the framebuffer boot: boots --fb-iso (GRUB, kernel.elf and what
# `make run` boots; the kernel's multiboot 2 header asks for 1024x768x32),
# types at the prompt and reads QEMU's screendumps back into text with the
# console's font (tools/screen.py): the command and its output at the
# cells expected, grey on black, `color 1e` yellow on blue, the screen
# scrolled after two `help`s, `cls` leaving only the prompt. Part 2 also
# reads a VGA text mode screendump the same way.
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
import screen  # noqa: E402

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
    ("devtree", "devtree", [r"^6 driver\(s\), 8 device\(s\)$"], [r"STATUS_"]),
    ("devtree_drivers_and_devices", "devtree",
     [r"^\\Driver\\null \(null\.sys, process \d+\)$",
      r"^\\Driver\\serial \(serial\.sys, process \d+\)$",
      r"^\\Driver\\kbdclass \(kbdclass\.sys, process \d+\)$",
      r"^  \\Device\\Null +null$", r"^  \\Device\\Serial0 +serial port, buffered, exclusive$",
      r"^  \\Device\\KeyboardClass0 +keyboard, buffered$"], []),
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


# devtree: each device under its own driver (the lines after the driver's
# line, before the next driver's).
DEVTREE_PAIRS = [("serial", r"\Device\Serial0"), ("kbdclass", r"\Device\KeyboardClass0"),
                 ("i8042prt", r"\Device\KeyboardPort0"), ("null", r"\Device\Null")]


def check_devtree_under_driver(output):
    if output is None:
        return report("devtree_device_under_driver", False, "devtree never ran")
    for driver, device in DEVTREE_PAIRS:
        at = next((i for i, l in enumerate(output)
                   if l.startswith("\\Driver\\%s (" % driver)), None)
        if at is None:
            return report("devtree_device_under_driver", False, "no line for \\Driver\\" + driver)
        below = []
        for line in output[at + 1:]:
            if not line.startswith("  "):
                break
            below.append(line.split()[0])
        if device not in below:
            return report("devtree_device_under_driver", False, "%s not under \\Driver\\%s: %s"
                          % (device, driver, below))
    return report("devtree_device_under_driver", True)


# devstack.sys's stack under its driver: the bottom device, the ones
# attached above it a level further in each, with their drivers; the two
# upper ones also listed at the driver's level, saying onto what.
DEVTREE_STACK = [r"^  \\Device\\DevStackBottom +unknown",
                 r"^    \(unnamed\) +unknown.* \(\\Driver\\devstack\)$",
                 r"^      \\Device\\DevStackTop +unknown.* \(\\Driver\\devstack\)$"]
DEVTREE_ATTACHED = [r"^  \\Device\\DevStackTop +unknown.*, attached to \(unnamed\) "
                    r"\(\\Driver\\devstack\)$",
                    r"^  \(unnamed\) +unknown.*, attached to \\Device\\DevStackBottom "
                    r"\(\\Driver\\devstack\)$"]


def check_devtree_stack(output):
    if output is None:
        return report("devtree_stack", False, "devtree never ran")
    text = "\n".join(output)
    start = next((i for i, l in enumerate(output) if l.startswith("\\Driver\\devstack (")), None)
    if start is None:
        return report("devtree_stack", False, "no \\Driver\\devstack line: %r" % text[-600:])
    block = output[start + 1:start + 7]
    for pattern in DEVTREE_ATTACHED:
        if not any(re.search(pattern, l) for l in block):
            return report("devtree_stack", False, "no /%s/ in %r" % (pattern, block))
    at = next((i for i, l in enumerate(block) if re.search(DEVTREE_STACK[0], l)), None)
    if at is None or len(block) < at + 3 or not all(
            re.search(p, block[at + k]) for k, p in enumerate(DEVTREE_STACK)):
        return report("devtree_stack", False, "the stack is not indented below its bottom: %r"
                      % block)
    return report("devtree_stack", True)


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
    failed += check_devtree_under_driver(by_command.get("devtree"))
    failed += check_devtree_stack(by_command.get("devtree"))
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


INTERACTIVE_LATER = ["interactive_nested_shell", "interactive_ctrl_c_serial",
                     "interactive_ctrl_c_keyboard", "interactive_ctrl_c_program_tree",
                     "interactive_ctrl_c_builtin_output",
                     "interactive_typed_while_running_kept",
                     "interactive_kill", "interactive_lm_other_process", "interactive_keyboard",
                     "vga_text_screen", "vga_text_color", "vga_text_cls", "interactive_poweroff"]


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


CTRL_C_EXIT = r"^sleeper exited with status 0xC000013A \(STATUS_CONTROL_C_EXIT: "


def ctrl_c_case(session, name, command, interrupt):
    """Run a long program in the foreground, interrupt() it with Ctrl-C:
    it must end with STATUS_CONTROL_C_EXIT, never finish, and the prompt
    come back."""
    at = session.mark()
    session.type(command + "\r")
    if session.expect(r"^sleeper: running for", at, 30) is None:
        return report(name, False, "%s did not start: %r" % (command, session.text[at:][-200:]))
    time.sleep(0.5)
    interrupt()
    ended = session.expect(CTRL_C_EXIT, at, 30)
    prompt = ended and session.expect(r"^\\Device> ", ended.end(), 30)
    done = re.search(r"sleeper: done", session.text[at:])
    return report(name, bool(ended and prompt and not done),
                  "ended %s, prompt %s, finished %s: %r" % (bool(ended), bool(prompt), bool(done),
                                                          session.text[at:][-300:]))


def ctrl_c_cases(session, socket_path):
    """Ctrl-C from the serial line (a waiting program) and from the PS/2
    keyboard (a program that spins); keys typed while a program runs are
    kept for the prompt."""
    failed = ctrl_c_case(session, "interactive_ctrl_c_serial", "sleeper 120",
                         lambda: session.type("\x03"))
    failed += ctrl_c_case(session, "interactive_ctrl_c_keyboard", "sleeper 120 busy",
                          lambda: send_keys(socket_path, ["ctrl-c"]))
    # The program's own children end with it: no sleeper left in ps.
    at = session.mark()
    session.type('ntcmd /c "sleeper 120"\r')
    started = session.expect(r"^sleeper: running for", at, 30)
    time.sleep(0.5)
    session.type("\x03")
    ended = session.expect(r"^ntcmd exited with status 0xC000013A \(STATUS_CONTROL_C_EXIT: ", at, 30)
    mark = session.mark()
    session.type("ps\r")
    listed = session.expect(r"^ +\d+ +\d+ +1  smss\.exe", mark, 30)
    left = re.search(r"sleeper\.exe", session.text[mark:])
    failed += report("interactive_ctrl_c_program_tree", bool(started and ended and listed) and
                     not left, "started %s, ended %s, ps %s, sleeper left %s: %r"
                     % (bool(started), bool(ended), bool(listed), bool(left),
                        session.text[at:][-400:]))
    # A built-in command's output: Ctrl-C cuts it and the rest of the line.
    at = session.mark()
    session.type("help & " * 8 + "echo notreached\r\x03")
    cut = session.expect(r"^\^C\r?$", at, 30)
    prompt = cut and session.expect(r"^\\Device> ", cut.end(), 30)
    failed += report("interactive_ctrl_c_builtin_output",
                     bool(cut and prompt) and
                     not re.search(r"^notreached\r?$", session.text[at:], re.M),
                     "cut %s, prompt %s: %r" % (bool(cut), bool(prompt), session.text[at:][-300:]))
    at = session.mark()
    session.type("sleeper 120\r")
    started = session.expect(r"^sleeper: running for", at, 30)
    session.type("echo kept")
    time.sleep(0.5)
    session.type("\x03")
    ended = session.expect(CTRL_C_EXIT, at, 30)
    session.type("\r")
    kept = ended and session.expect(r"^kept\r?$", ended.end(), 30)
    failed += report("interactive_typed_while_running_kept", bool(started and ended and kept),
                     "started %s, ended %s, kept %s: %r" % (bool(started), bool(ended), bool(kept),
                                                           session.text[at:][-300:]))
    return failed


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


def screendump(socket_path, path):
    """QEMU's picture of the display, as a PPM at path (None if none came)."""
    import socket
    if os.path.exists(path):
        os.unlink(path)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(socket_path)
        s.sendall(("screendump %s\n" % path).encode())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not os.path.exists(path):
            time.sleep(0.2)
        time.sleep(0.5)  # written whole
    return path if os.path.exists(path) else None


def typed_and_shown(session, keys, pattern):
    """Type keys, wait for pattern on the serial line, give the console a
    moment to draw: True if it came."""
    at = session.mark()
    session.type(keys)
    found = session.expect(pattern, at, 30) is not None
    time.sleep(1.0)
    return found


VGA_GREY = ((0xAA, 0xAA, 0xAA),)  # colour 7 of console.sys's palette


def near(colour, wanted, slack):
    return colour is not None and all(abs(a - b) <= slack for a, b in zip(colour, wanted))


def text_cells_check(shot, text, foregrounds, background, row=None, slack=0):
    """Why the first row reading text (or that row, at its start) is wrong
    (None: right): every cell of the text in one of foregrounds on background
    (each channel within slack: QEMU draws VGA text through the DAC's 6 bits)."""
    at = shot.find(text) if row is None else (row, 0)
    if at is None:
        return "no row reads %r; the screen: %r" % (text, [l for l in shot.lines() if l][-6:])
    row, column = at
    for c in range(column, column + len(text)):
        fg, bg = shot.colours[(row, c)]
        if text[c - column] != " " and not any(near(fg, f, slack) for f in foregrounds) or \
                not near(bg, background, slack):
            return "cell %d,%d of %r is %s on %s" % (row, c, text, fg, bg)
    return None


def vga_text_case(session, socket_path, font, out_dir):
    """The console in VGA text mode (QEMU's -kernel boot): a command and
    its output in the cells, grey on black, read back from QEMU's picture."""
    ok = typed_and_shown(session, "echo vga text mode 42\r", r"^vga text mode 42\r?$")
    path = ok and screendump(socket_path, os.path.join(out_dir, "system-vga.ppm"))
    if not path:
        return report("vga_text_screen", False, "no output or no screendump") + \
            report("vga_text_color", False, "not reached") + report("vga_text_cls", False, "")
    shot = screen.Screen(path, font, 9, tolerance=40)
    why = None
    if (shot.width, shot.height) != (720, 400):
        why = "not 80x25 text: a %dx%d picture" % (shot.width, shot.height)
    lines = shot.lines()
    rows = [i for i in range(1, len(lines)) if lines[i] == "vga text mode 42" and
            lines[i - 1].endswith("> echo vga text mode 42")]
    if why is None and not rows:
        why = "the command and its output are not in consecutive rows: %r" % lines
    why = why or text_cells_check(shot, "vga text mode 42", [(0xAA, 0xAA, 0xAA)], (0, 0, 0), rows[0],
                                  slack=3)
    failed = report("vga_text_screen", why is None, why or "")
    # Attributes reach the cells: yellow on blue (QEMU's DAC: 6 bits a channel).
    typed_and_shown(session, "color 1e\r", r"> color 1e")
    ok = typed_and_shown(session, "echo vga blue 7\r", r"^vga blue 7\r?$")
    path = ok and screendump(socket_path, os.path.join(out_dir, "system-vga-color.ppm"))
    typed_and_shown(session, "color\r", r"> color\r?$")
    why = "no output or no screendump"
    if path:
        shot = screen.Screen(path, font, 9, tolerance=40)
        lines = shot.lines()
        rows = [i for i, l in enumerate(lines) if l == "vga blue 7"]
        why = "no row reads 'vga blue 7': %r" % lines[-5:] if not rows else text_cells_check(
            shot, "vga blue 7", [(0xFF, 0xFF, 0x55)], (0, 0, 0xAA), rows[-1], slack=3)
    failed += report("vga_text_color", why is None, why or "")
    typed_and_shown(session, "cls\r", r"> cls")
    path = screendump(socket_path, os.path.join(out_dir, "system-vga-cls.ppm"))
    why = "no screendump"
    if path:
        lines = screen.Screen(path, font, 9, tolerance=40).lines()
        why = None if lines[0].startswith("\\Device>") and not any(lines[1:]) else \
            "not just the prompt after cls: %r" % [l for l in lines if l][:5]
    failed += report("vga_text_cls", why is None, why or "")
    return failed


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
        failed += ctrl_c_cases(session, socket_path)
        failed += process_cases(session)
        failed += keyboard_case(session, socket_path)
        failed += vga_text_case(session, socket_path, screen.read_font(args.font),
                                os.path.dirname(args.log))
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


# Part 4, the framebuffer boot: GRUB (the ISO of build.mk) gives the
# 1024x768x32 mode the kernel's multiboot 2 header asks for; console.sys
# draws with its 8x16 font: 128x48 cells.
FB_NAMES = ["fb_prompt", "fb_mode", "fb_text_at_cells", "fb_default_colours", "fb_color_command",
            "fb_scrolls", "fb_cls_clears"]


def fb_checks(session, socket_path, font, out_dir):
    failed = 0

    def shot(name):
        path = screendump(socket_path, os.path.join(out_dir, "system-fb-%s.ppm" % name))
        return screen.Screen(path, font) if path else None

    ok = typed_and_shown(session, "echo framebuffer text 12345\r", r"^framebuffer text 12345\r?$")
    first = ok and shot("text")
    if not first:
        return sum(report(n, False, "no output or no screendump") for n in FB_NAMES[1:])
    failed += report("fb_mode", (first.width, first.height) == (1024, 768),
                     "a %dx%d picture, not 1024x768" % (first.width, first.height))
    at = first.find("\\> echo framebuffer text 12345")
    why = None
    if at is None or at[1] != 0 or not first.text[at[0] + 1].startswith("framebuffer text 12345"):
        why = "command and output not at column 0 of consecutive rows: %r" % first.lines()[:12]
    elif first.unknown:
        why = "cells that are no glyph of the font (pitch or depth wrong?): %s" % first.unknown[:8]
    failed += report("fb_text_at_cells", why is None, why or "")
    why = text_cells_check(first, "framebuffer text 12345", VGA_GREY, (0, 0, 0))
    failed += report("fb_default_colours", why is None, why or "")
    # Yellow on blue: the palette and each channel's place in the pixel.
    typed_and_shown(session, "color 1e\r", r"> color 1e")
    ok = typed_and_shown(session, "echo yellow on blue\r", r"^yellow on blue\r?$")
    coloured = ok and shot("color")
    typed_and_shown(session, "color\r", r"> color\r?$")
    why = "no picture" if not coloured else text_cells_check(
        coloured, "yellow on blue", [(0xFF, 0xFF, 0x55)], (0x00, 0x00, 0xAA))
    failed += report("fb_color_command", why is None, why or "")
    # Enough lines to scroll: the first ones leave the top, the prompt is on the last row.
    typed_and_shown(session, "help\r", r"<program> \[args\]")
    typed_and_shown(session, "help\r", r"<program> \[args\]")
    scrolled = shot("scroll")
    why = "no picture"
    if scrolled:
        lines = scrolled.lines()
        why = None
        if lines[-1] != "\\>" or not lines[-2].startswith("  <program> [args]"):
            why = "the last rows are not help's end and the prompt: %r" % lines[-3:]
        elif scrolled.find("Nereid native shell") is not None:
            why = "the first lines are still there: no scroll"
        elif scrolled.unknown:
            why = "cells that are no glyph after the scroll: %s" % scrolled.unknown[:8]
    failed += report("fb_scrolls", why is None, why or "")
    typed_and_shown(session, "cls\r", r"> cls")
    cleared = shot("cls")
    why = "no picture"
    if cleared:
        lines = cleared.lines()
        why = None
        if lines[0] != "\\>" or any(lines[1:]):
            why = "not just the prompt: %r" % [l for l in lines if l][:5]
        elif len({cleared.colours[(r, c)][1] for r in range(1, cleared.rows)
                  for c in range(cleared.columns)}) != 1:
            why = "the cleared rows are not one colour"
    failed += report("fb_cls_clears", why is None, why or "")
    return failed


def part_four(args):
    """Boot the ISO (GRUB, framebuffer), type at the prompt, read the screen back."""
    log = re.sub(r"(\.log)?$", "-fb.log", args.log, count=1)
    socket_path = log + ".monitor"
    if not args.fb_iso or not os.path.isfile(args.fb_iso):
        return sum(report(n, False, "no ISO %s" % args.fb_iso) for n in FB_NAMES)
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    session = Session(monitor_socket(qemu.qemu_command(cdrom=args.fb_iso), socket_path), log)
    try:
        if session.expect(r"^\\> ", 0, args.timeout / 2) is None:
            return sum(report(n, False, "no prompt '\\> '") for n in FB_NAMES)
        failed = report("fb_prompt", True)
        failed += fb_checks(session, socket_path, screen.read_font(args.font),
                            os.path.dirname(args.log))
        session.type("poweroff\r")
        try:
            session.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    finally:
        session.close()
        if os.path.exists(socket_path):
            os.unlink(socket_path)
    return failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=qemu.DEFAULT_KERNEL)
    ap.add_argument("--images", default="build/tests/system/system")
    ap.add_argument("--interactive-module", default="build/ntos/ntos.elf")
    ap.add_argument("--fb-iso", default="build/tests/system/system/nereid-fb.iso")
    ap.add_argument("--font", default="build/drivers/video/console/font8x16.h")
    ap.add_argument("--timeout", type=float, default=240.0)
    ap.add_argument("--log", default="build/test-results/system-serial.log")
    a = ap.parse_args()
    os.makedirs(os.path.dirname(a.log), exist_ok=True)
    failed, _ = part_one(a)
    failed += part_three(a)
    failed += part_two(a)
    failed += part_four(a)
    print("SUITE-END %s" % SUITE)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
