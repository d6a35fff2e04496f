#!/usr/bin/env bash
# Builds the libFuzzer target Fuzz/thrift-fuzz with the fuzzer and address sanitizers and runs it
# for the given number of seconds (default 60) on a corpus seeded with Apache Thrift's encodings
# of the byte fixtures. Prints libFuzzer's final statistics (executions, coverage).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-60}
SCRATCH=.build-fuzz
CORPUS=.build-fuzz/corpus

swift build --scratch-path "$SCRATCH" -c release --sanitize=fuzzer --sanitize=address \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING --product thrift-fuzz
BIN="$(swift build --scratch-path "$SCRATCH" -c release --show-bin-path)/thrift-fuzz"

mkdir -p "$CORPUS"
if [ -z "$(ls -A "$CORPUS")" ] && command -v thrift >/dev/null && python3 -c 'import thrift' 2>/dev/null; then
  generated=$(mktemp -d)
  thrift --gen py -out "$generated" idl/scoot.thrift
  thrift --gen py -out "$generated" Tests/ScootAPITests/Fixtures/alltypes.thrift
  PYTHONPATH="$generated:Tests/Interop" python3 - "$CORPUS" <<'PY'
import json, subprocess, sys, pathlib
out = subprocess.run([sys.executable, "Tests/Interop/fixtures.py", "emit"], check=True, capture_output=True, text=True).stdout
for name, text in json.loads(out).items():
    pathlib.Path(sys.argv[1], name).write_bytes(bytes.fromhex(text))
PY
  rm -rf "$generated"
fi

export SWIFT_BACKTRACE=enable=no
"$BIN" -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 -dict=Fuzz/thrift.dict -artifact_prefix=.build-fuzz/ "$CORPUS"
