package io.pgmigrate.transport;

/**
 * The constant shell scripts behind {@link DetachedCommand}. They are run as {@code sh -c SCRIPT
 * NAME ARGS…}: all variable data arrive as positional arguments, never inside the script text.
 */
final class DetachedScripts {
    private DetachedScripts() {
    }

    /**
     * Args: VERB (start|status|stop|forget) DIR NAME OFFSET CHUNK [WORKDIR WRAPPER ARGV…]. Prints a
     * header "LAUNCH STATE EXIT SIZE TOTAL" (LAUNCH "started" when this call launched it, EXIT "-"
     * unless FINISHED; SIZE the output offset after the bytes that follow, TOTAL the output file's
     * size), then the output file's bytes from OFFSET to SIZE (at most CHUNK) in base64, so that byte
     * offsets stay exact whatever the program wrote. stop and forget report
     * the state before acting. The state directory DIR is made mode 0700 by start; any verb refuses
     * (exit 5) one that is a symbolic link, not the user's own or writable by others.
     */
    static final String CONTROL = PrivateDirectory.FUNCTION + """
            v=$1 d=$2 n=$3 off=$4 chunk=$5
            shift 5
            f=$d/$n
            um=$(umask)
            umask 077
            # the state directory is made by start (0700) and trusted only when it is ours alone
            if [ "$v" = start ]; then private_dir "$d" create; else private_dir "$d"; fi || {
              printf '%s %s, and pgmigrate trusts nothing there that another user could have planted\n' "$d" "$pd_why" >&2
              exit 5
            }
            launch=- rc=- p=
            alive() {
              [ -s "$f.pid" ] || return 1
              read -r p s < "$f.pid" || return 1
              if [ -d /proc/self ]; then
                [ -r "/proc/$p/stat" ] || return 1
                set -- $(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null)
                [ "$1" != Z ] && { [ -z "$s" ] || [ "$s" = "${20}" ]; }
              else
                kill -0 "$p" 2>/dev/null
              fi
            }
            state() {
              if [ -f "$f.rc" ]; then st=FINISHED; rc=$(cat "$f.rc")
              elif [ ! -e "$f.started" ]; then st=NOT_STARTED
              elif alive; then st=RUNNING
              elif [ -f "$f.rc" ]; then st=FINISHED; rc=$(cat "$f.rc")
              else st=LOST
              fi
            }
            case $v in
            start)
              w=$1 wrapper=$2
              shift 2
              command -v setsid >/dev/null 2>&1 || { echo "no setsid on this host (install util-linux)" >&2; exit 4; }
              if ( set -C; : > "$f.started" ) 2>/dev/null; then
                launch=started
                setsid sh -c "$wrapper" pgmigrate-detached "$f" "$w" "$um" "$@" < /dev/null >> "$f.out" 2>&1 &
              elif [ ! -e "$f.started" ]; then
                echo "cannot create $f.started" >&2; exit 3
              fi
              i=0
              while [ "$i" -lt 100 ] && [ ! -s "$f.pid" ] && [ ! -f "$f.rc" ]; do sleep 0.1; i=$((i + 1)); done
              state ;;
            status)
              state ;;
            stop)
              state
              if [ "$st" = RUNNING ]; then kill -s TERM -- "-$p" 2>/dev/null || kill -s TERM "$p" 2>/dev/null; fi ;;
            forget)
              state
              if [ "$st" != RUNNING ]; then rm -f -- "$f.started" "$f.pid" "$f.pid.tmp" "$f.out" "$f.rc" "$f.rc.tmp"; fi ;;
            *)
              echo "unknown verb $v" >&2; exit 2 ;;
            esac
            total=0
            [ -f "$f.out" ] && total=$(wc -c < "$f.out")
            total=$((total + 0))
            size=$total
            [ "$size" -gt $((off + chunk)) ] && size=$((off + chunk))
            [ "$size" -lt "$off" ] && size=$off
            echo "$launch $st $rc $size $total"
            if [ "$size" -gt "$off" ]; then tail -c +"$((off + 1))" "$f.out" | head -c "$((size - off))" | base64; fi
            exit 0
            """;

    /**
     * Runs in the new session. Args: FILEPREFIX WORKDIR UMASK ARGV…. Ignores SIGHUP (as nohup),
     * catches SIGTERM so that it outlives the program and records its status, writes "PID STARTTIME"
     * and later the exit status, each through a temporary file renamed into place (the status
     * flushed to disk with its directory, where sync(1) takes file arguments).
     */
    static final String WRAPPER = """
            f=$1 w=$2 um=$3
            shift 3
            trap '' HUP
            trap : TERM
            st=
            [ -r "/proc/$$/stat" ] && st=$(sed 's/.*) //' "/proc/$$/stat" | cut -d ' ' -f 20)
            printf '%s %s\\n' "$$" "$st" > "$f.pid.tmp" && mv -f -- "$f.pid.tmp" "$f.pid"
            umask "$um"
            if cd -- "$w"; then
              "$@"
              rc=$?
            else
              rc=125
            fi
            if printf '%s\\n' "$rc" > "$f.rc.tmp"; then
              sync -- "$f.rc.tmp" 2>/dev/null
              mv -f -- "$f.rc.tmp" "$f.rc" && sync -- "${f%/*}" 2>/dev/null
            fi
            exit 0
            """;
}
