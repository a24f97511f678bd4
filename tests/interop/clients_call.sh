#!/usr/bin/env bash
# Two real SIP clients call each other through `trapezoid serve`: baresip (alice) and linphonec
# (carol) register, alice calls carol, carol answers (auto-answer), alice hangs up; then carol
# calls alice and hangs up. Both ends must report the call established and ended.
#
# Everything runs inside a network namespace this script creates (unshare -n): its own
# loopback, with the server on 127.0.0.1, and a veth pair with 10.200.0.1/24 so that the
# clients see a non-loopback interface (they put that address in their SDP and Contact). No
# packet leaves the namespace.
#
#   tests/interop/clients_call.sh build/release/apps/trapezoid/trapezoid
set -euo pipefail

TRAPEZOID=$(readlink -f "$1")
if [ -z "${TRAPEZOID_IN_NETNS:-}" ]; then
  for tool in baresip linphonec unshare ip python3; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
  done
  # Creating a network namespace needs CAP_SYS_ADMIN (root, or a container that allows it).
  if ! unshare -n true 2>/dev/null; then echo "SKIP: cannot create a network namespace here"; exit 77; fi
  exec env TRAPEZOID_IN_NETNS=1 timeout 120 unshare -n "$0" "$@"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/trapezoid-interop-XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP_WORK:-}" = "" ]; then rm -rf "$WORK"; else echo "work dir: $WORK"; fi
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in server.log alice.log carol.log alice-events.txt; do
    [ -f "$WORK/$f" ] && { echo "--- $f"; tail -n 40 "$WORK/$f"; }
  done
  exit 1
}

ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.200.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
# linphone waits for a default route before it registers; inside the namespace it leads nowhere.
ip route add default dev v0

"$TRAPEZOID" serve --data-dir "$WORK/data" --listen udp:127.0.0.1:5060 --listen tcp:127.0.0.1:5060 \
  --workers 2 > "$WORK/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -q " ready:" "$WORK/server.log" && break; sleep 0.1; done
grep -q " ready:" "$WORK/server.log" || fail "server did not start"

# An 8 kHz tone for both clients to send (there is no sound card here).
python3 - "$WORK/tone.wav" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb")
w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 8000))) for i in range(8000 * 20)))
w.close()
PY

# alice: baresip, driven over its ctrl_tcp socket (netstring JSON).
mkdir -p "$WORK/alice"
cat > "$WORK/alice/config" <<CFG
poll_method epoll
sip_listen 10.200.0.1:5062
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module aubridge.so
module_app account.so
module_app menu.so
module ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:4444
audio_source aufile,$WORK/tone.wav
audio_player aubridge,sink
audio_alert aubridge,sink
rtp_ports 20000-20100
CFG
echo "<sip:alice@127.0.0.1;transport=udp>;regint=60;answermode=auto;outbound=\"sip:127.0.0.1:5060\"" > "$WORK/alice/accounts"
baresip -f "$WORK/alice" > "$WORK/alice.log" 2>&1 < /dev/null &
PIDS+=($!)

# carol: linphonec, driven on stdin through a FIFO, answering automatically (-a).
mkdir -p "$WORK/carol/.local/share/linphone"
cat > "$WORK/carol/linphonerc" <<CFG
[sip]
sip_port=5066
sip_tcp_port=0
default_proxy=0
bind_address=10.200.0.1
[rtp]
audio_rtp_port=20200
[sound]
echocancellation=0
[proxy_0]
reg_proxy=<sip:127.0.0.1:5060;transport=udp>
reg_identity=sip:carol@127.0.0.1
reg_expires=60
reg_sendregister=1
publish=0
CFG
mkfifo "$WORK/carol/in"
HOME="$WORK/carol" linphonec -c "$WORK/carol/linphonerc" -a -d 3 -l "$WORK/carol/debug.log" \
  < "$WORK/carol/in" > "$WORK/carol.log" 2>&1 &
PIDS+=($!)
exec 3> "$WORK/carol/in"  # keeps linphonec's stdin open; commands are written here

# Both registered with the server?
for _ in $(seq 100); do
  grep -q "REGISTER sip:alice@127.0.0.1 -> 200" "$WORK/server.log" &&
    grep -q "REGISTER sip:carol@127.0.0.1 -> 200" "$WORK/server.log" && break
  sleep 0.1
done
grep -q "REGISTER sip:alice@127.0.0.1 -> 200" "$WORK/server.log" || fail "alice (baresip) did not register"
grep -q "REGISTER sip:carol@127.0.0.1 -> 200" "$WORK/server.log" || fail "carol (linphonec) did not register"

# alice calls carol, talks 2 s, hangs up; the events baresip reports are collected.
python3 - "$WORK/alice-events.txt" <<'PY' || fail "alice -> carol: call not established and ended"
import json, re, socket, sys, time
def netstring(obj):
    b = json.dumps(obj).encode()
    return str(len(b)).encode() + b":" + b + b","
s = socket.create_connection(("127.0.0.1", 4444))
s.settimeout(0.2)
events = []
def pump(seconds, until=None):
    end = time.time() + seconds
    buf = b""
    while time.time() < end:
        try:
            data = s.recv(65536)
        except socket.timeout:
            data = b""
        buf += data
        for t in re.findall(rb'"type":"([A-Z_]+)"', data):
            events.append(t.decode())
        if until and until in events:
            return True
    return False
s.sendall(netstring({"command": "dial", "params": "sip:carol@127.0.0.1", "token": "dial"}))
ok = pump(10, "CALL_ESTABLISHED")
time.sleep(2)
s.sendall(netstring({"command": "hangup", "token": "hangup"}))
closed = pump(5, "CALL_CLOSED")
open(sys.argv[1], "w").write("\n".join(events) + "\n")
sys.exit(0 if ok and closed else 1)
PY
for _ in $(seq 50); do grep -q "ended" "$WORK/carol.log" && break; sleep 0.1; done
grep -q "Call 1 with sip:alice@127.0.0.1 connected" "$WORK/carol.log" || fail "carol did not see the call connected"
grep -q "Call 1 with sip:alice@127.0.0.1 ended" "$WORK/carol.log" || fail "carol did not see the call end"

# carol calls alice (baresip answers automatically), then carol hangs up.
echo "call sip:alice@127.0.0.1" >&3
for _ in $(seq 100); do grep -q "Call 2 with sip:alice@127.0.0.1 connected" "$WORK/carol.log" && break; sleep 0.1; done
grep -q "Call 2 with sip:alice@127.0.0.1 connected" "$WORK/carol.log" || fail "carol -> alice: not connected"
sleep 2
echo "terminate" >&3
for _ in $(seq 50); do grep -q "Call 2 with sip:alice@127.0.0.1 ended" "$WORK/carol.log" && break; sleep 0.1; done
grep -q "Call 2 with sip:alice@127.0.0.1 ended" "$WORK/carol.log" || fail "carol -> alice: not ended"
grep -q "Call established: sip:carol@127.0.0.1" "$WORK/alice.log" || fail "alice did not see carol's call established"
echo "quit" >&3
echo "PASS: baresip and linphonec registered and called each other both ways through trapezoid"
