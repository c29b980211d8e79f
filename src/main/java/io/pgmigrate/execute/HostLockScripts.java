package io.pgmigrate.execute;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The constant shell script behind {@link HostLock}, run as {@code sh -c SCRIPT pgmigrate-hostlock ARGS…} through
 * {@link io.pgmigrate.transport.HostShell#hold}: every variable arrives as a positional argument.
 */
final class HostLockScripts {
    /** $0 of the script: how a process is recognised as a lock holder ({@code /proc/PID/cmdline}). */
    static final String NAME = "pgmigrate-hostlock";

    private HostLockScripts() {
    }

    /**
     * Args: WORKDIR CONTROLLER_HOST CONTROLLER_USER CONTROLLER_PID PLAN_DIGEST SINCE BREAK(0|1). Prints one line,
     * its fields separated by tabs: the status, then the lines of the holder file (key=value) as they were before:
     * <ul>
     * <li>{@code LOCKED …}: the lock is ours; the fields are the last holder's record, if one was left;</li>
     * <li>{@code BROKEN …}: BREAK was asked and the holder's process was killed; the fields are its record;</li>
     * <li>{@code HELD …}: someone holds it; the fields are the holder's record; the script ends;</li>
     * <li>{@code REFUSED PATH REASON}: a path another user could have planted or changed; the script ends;</li>
     * <li>{@code ERROR MESSAGE}: anything else that keeps it from taking the lock; the script ends.</li>
     * </ul>
     * The work directory is made and checked by {@link io.pgmigrate.transport.PrivateDirectory#FUNCTION}.
     * Holding, it writes its record (the arguments, and hostPid=$$) to the holder file through a temporary file
     * renamed into place, then waits for EOF on stdin with the lock's descriptor held by itself alone: the kernel
     * releases the lock when this shell ends, and SIGTERM (a broken lock) ends it and its cat at once.
     */
    static final String LOCK = io.pgmigrate.transport.PrivateDirectory.FUNCTION + """
            d=$1 brk=$7
            f=$d/execution.lock
            h=$f.holder
            umask 077
            me=$(id -un)
            refuse() { printf 'REFUSED\\t%s\\t%s\\n' "$1" "$2"; exit 3; }
            fail() { printf 'ERROR\\t%s\\n' "$1"; exit 4; }
            record() { [ -f "$h" ] && tr '\\n' '\\t' < "$h"; }
            private_dir "$d" create
            case $? in 1) refuse "$d" "$pd_why" ;; 2) fail "cannot create $d as $me" ;; esac
            for p in "$f" "$h"; do
              [ -L "$p" ] && refuse "$p" "is a symbolic link"
              if [ -e "$p" ]; then
                [ -f "$p" ] || refuse "$p" "is not a regular file"
                [ -O "$p" ] || refuse "$p" "is not owned by $me"
              fi
            done
            command -v flock >/dev/null 2>&1 || fail "no flock on this host (install util-linux)"
            exec 9>>"$f" || fail "cannot open $f as $me"
            st=LOCKED
            if ! flock -n 9; then
              # a holder that took the lock just now writes its record a moment later
              i=0
              while :; do
                op=$(sed -n 's/^hostPid=//p' "$h" 2>/dev/null)
                { [ -n "$op" ] && [ -d "/proc/$op" ]; } || [ "$i" -ge 20 ] && break
                sleep 0.1; i=$((i + 1))
              done
              if [ "$brk" != 1 ]; then printf 'HELD\\t%s\\n' "$(record)"; exit 0; fi
              case $op in
                ''|*[!0-9]*) fail "cannot break the lock $f: its holder record $h names no process (find the holder: fuser -v $f)" ;;
              esac
              cl=$(tr '\\0' '\\n' < "/proc/$op/cmdline" 2>/dev/null)
              if ! printf '%s\\n' "$cl" | grep -qxF "$0" || ! printf '%s\\n' "$cl" | grep -qxF -- "$d"; then
                fail "cannot break the lock $f: process $op named in $h is not pgmigrate's lock holder (find the holder: fuser -v $f)"
              fi
              kill -s TERM "$op" 2>/dev/null
              if ! flock -w 5 9; then
                pkill -KILL -P "$op" 2>/dev/null
                kill -s KILL "$op" 2>/dev/null
                flock -w 5 9 || fail "cannot break the lock $f: it is still held after process $op was killed (find the holder: fuser -v $f)"
              fi
              st=BROKEN
            fi
            prev=$(record)
            t=$h.tmp.$$
            if ! printf 'controllerHost=%s\\ncontrollerUser=%s\\ncontrollerPid=%s\\nplanDigest=%s\\nsince=%s\\nhostPid=%s\\n' \\
                "$2" "$3" "$4" "$5" "$6" "$$" > "$t" || ! mv -f -- "$t" "$h"; then
              rm -f -- "$t"
              fail "cannot write $h as $me"
            fi
            printf '%s\\t%s\\n' "$st" "$prev"
            exec 8<&0
            trap 'kill "$c" 2>/dev/null; exit 143' TERM INT HUP
            cat <&8 >/dev/null 8<&- 9>&- &
            c=$!
            exec 8<&-
            wait "$c"
            """;

    /** The status and the key=value fields of one answer line. */
    record Answer(String status, String[] fields, Map<String, String> record) {
        static Answer parse(String line) {
            String[] parts = line.split("\t", -1);
            Map<String, String> record = new LinkedHashMap<>();
            String[] fields = new String[parts.length - 1];
            for (int i = 1; i < parts.length; i++) {
                fields[i - 1] = parts[i];
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    record.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            return new Answer(parts[0], fields, record);
        }

        String field(int i) {
            return i < fields.length ? fields[i] : "";
        }

        /** A value of the holder record, "?" when it lacks it. */
        String get(String key) {
            String v = record.get(key);
            return v == null || v.isEmpty() ? "?" : v;
        }
    }
}
