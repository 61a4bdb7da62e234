#!/usr/bin/env bash
# `npm run demo`: builds and packages Hopscope, installs it into a fresh code-server profile, opens a copy of the
# sample workspace (Wikipedia articles to index; real R1-Searcher rollouts, kept outside it, imported as traces)
# and prints the URL.
# With HOPSCOPE_ENDPOINT (and optionally HOPSCOPE_MODEL, HOPSCOPE_API_KEY) set to a real model server, the workspace
# is configured for it and the sample questions in test/demo/questions.jsonl are run first. No fake model answers.
# Env: PORT (default 8080, or a free one), HOPSCOPE_DEMO_DIR (default test-output/demo; recreated on every run).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
say() { echo "[demo] $*"; }

bash test/env/setup.sh
DEMO="${HOPSCOPE_DEMO_DIR:-$ROOT/test-output/demo}"
rm -rf "$DEMO"
mkdir -p "$DEMO/user-data/User" "$DEMO/extensions"

# Packaged into the demo dir (not dist/) from the development build, so a running `npm test` keeps its bundles.
say "building and packaging the extension"
{ node esbuild.mjs && npx --no-install vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links \
    -o "$DEMO/hopscope.vsix"; } > "$DEMO/package.log" 2>&1 || { cat "$DEMO/package.log"; say "packaging failed"; exit 1; }
CS="$(node --import tsx -e 'import("./test/support/paths.ts").then((m) => console.log((m.default ?? m).codeServerBin()))')"

# Documents only in the indexed workspace: the rollouts (which hold gold answers) are copied beside it, not into it.
WS="$DEMO/sample-workspace"
ROLLOUT_LIST="$(node --import tsx test/demo/demoWorkspace.ts "$DEMO")"
mapfile -t ROLLOUTS <<< "$ROLLOUT_LIST"

say "importing the R1-Searcher rollouts as traces"
mkdir -p "$WS/.hopscope/traces"
for f in "${ROLLOUTS[@]}"; do
  name="$(basename "$f" .r1searcher.jsonl)"
  node dist/cli.js import "$f" --format r1searcher --run-id "r1searcher-$name" --out "$WS/.hopscope/traces/$name.jsonl"
done

# The workbench's own settings: no VS Code welcome page, Git toast, gallery or telemetry calls; but Hopscope's own
# first start (its view and walkthrough), which is what a new user meets.
node --import tsx -e '
  import("./test/support/codeServer.ts").then((m) => {
    const s = { ...(m.default ?? m).QUIET_SETTINGS, "hopscope.welcome.onFirstStart": true };
    require("fs").writeFileSync(process.argv[1], JSON.stringify(s, null, 2));
  });
' "$DEMO/user-data/User/settings.json"

if [ -n "${HOPSCOPE_ENDPOINT:-}" ]; then
  say "model server: $HOPSCOPE_ENDPOINT${HOPSCOPE_MODEL:+ (model $HOPSCOPE_MODEL)}"
  [ -z "${HOPSCOPE_API_KEY:-}" ] || say "the CLI uses HOPSCOPE_API_KEY; in VS Code, store the key once with \"Hopscope: Set API Key\""
  node -e '
    const [file, baseUrl, model] = process.argv.slice(1);
    const s = JSON.parse(require("fs").readFileSync(file, "utf8"));
    s["hopscope.endpoint.baseUrl"] = baseUrl;
    if (model) s["hopscope.endpoint.model"] = model;
    require("fs").writeFileSync(file, JSON.stringify(s, null, 2));
  ' "$WS/.vscode/settings.json" "$HOPSCOPE_ENDPOINT" "${HOPSCOPE_MODEL:-}"
  if curl -sf -o /dev/null --max-time 10 ${HOPSCOPE_API_KEY:+-H "Authorization: Bearer $HOPSCOPE_API_KEY"} "$HOPSCOPE_ENDPOINT/models"; then
    say "indexing the sample documents and running the sample questions"
    node dist/cli.js index "$WS/docs" --root "$WS" --index "$DEMO/index" --quiet
    while IFS= read -r line; do
      q="$(node -e 'console.log(JSON.parse(process.argv[1]).question)' "$line")"
      gold="$(node -e 'console.log(JSON.parse(process.argv[1]).golden_answers[0])' "$line")"
      node dist/cli.js ask "$q" --gold "$gold" --index "$DEMO/index" --out "$WS/.hopscope/traces/demo-questions.jsonl" \
        || say "question failed (see above): $q"
    done < test/demo/questions.jsonl
  else
    say "$HOPSCOPE_ENDPOINT/models does not answer: questions will fail until the server is up"
  fi
else
  say "HOPSCOPE_ENDPOINT is not set. Works without a model server: the Traces view, the trace panel, the"
  say "  trajectories table, run summary, compare and the index of docs/. Needs one: Ask, the CodeLens, fork. Restart with"
  say "  HOPSCOPE_ENDPOINT=http://<host>:8000/v1 npm run demo   (a vLLM or SGLang server)"
fi

"$CS" --extensions-dir "$DEMO/extensions" --user-data-dir "$DEMO/user-data" --install-extension "$DEMO/hopscope.vsix" >/dev/null

PORT="${PORT:-}"
if [ -z "$PORT" ]; then
  PORT=8080
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then PORT="$(node --import tsx -e 'import("./test/support/ports.ts").then(async (m) => console.log(await (m.default ?? m).freePort()))')"; fi
fi
setsid "$CS" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$DEMO/user-data" --extensions-dir "$DEMO/extensions" "$WS" > "$DEMO/code-server.log" 2>&1 &
CS_PID=$!
trap 'kill -TERM -- -$CS_PID 2>/dev/null || true; wait $CS_PID 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$CS_PID" 2>/dev/null || { say "code-server exited: see $DEMO/code-server.log"; exit 1; }
  sleep 0.5
done
URL="http://127.0.0.1:$PORT/?folder=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$WS")"
echo
say "Hopscope is running in VS Code (code-server) at:"
echo
echo "    $URL"
echo
say "workspace: $WS (traces in .hopscope/traces/); log: $DEMO/code-server.log"
say "remote machine? forward the port first: ssh -L $PORT:127.0.0.1:$PORT <host>"
if [ -n "${HOPSCOPE_DEMO_SMOKE:-}" ]; then say "smoke mode: stopping"; exit 0; fi
say "press Ctrl-C to stop"
wait "$CS_PID"
