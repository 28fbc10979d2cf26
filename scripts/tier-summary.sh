#!/usr/bin/env bash
# Counts the tests of the last Maven run per tier and module, from the XML reports the build leaves behind:
#
#   scripts/tier-summary.sh [repository root]
#
#   fast  <module>/target/surefire-reports/TEST-*.xml   (./mvnw test: unit tests, @QuarkusTests on the in-process broker)
#   real  <module>/target/failsafe-reports/TEST-*.xml   (./mvnw verify: tests tagged real, and the e2e module;
#                                                         under -Psoak these are the soak tests)
#
# Prints, per tier and module, the tests run, failed (failures and errors), skipped, and the time the tests took (the
# sum of the suites' times: test classes, Quarkus starts included, not the build around them); then one line per
# test that ran in both tiers, and last a plain closing line "tests: N passed, N failed, N skipped". Exits 1 when a
# test failed or ran twice, 2 when there is no report at all. scripts/test.sh prints it at its end, pass or fail.
# Reports of modules a run did not build are left from an earlier run: scripts/test.sh removes them first.
set -euo pipefail
repo=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

reports=()
for dir in "$repo"/*/target/surefire-reports "$repo"/*/target/failsafe-reports; do
  for f in "$dir"/TEST-*.xml; do
    [ -f "$f" ] && reports+=("$f")
  done
done
if [ ${#reports[@]} -eq 0 ]; then
  echo "tier summary: no test reports under $repo/*/target/{surefire,failsafe}-reports"
  exit 2
fi

# One <testsuite ...> element per file, its attributes on its opening line; one <testcase name=.. classname=..> per
# test (surefire's and failsafe's report format, maven-surefire-plugin/xsd/surefire-test-report.xsd).
awk -v repo="$repo/" '
  function attr(line, name,    m) {
    if (match(line, " " name "=\"[^\"]*\"")) {
      m = substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
      return m
    }
    return ""
  }
  FNR == 1 {
    path = substr(FILENAME, length(repo) + 1)
    split(path, part, "/")
    module = part[1]
    tier = (part[3] == "failsafe-reports") ? "real" : "fast"
    suite_seen = 0
  }
  /<testsuite[ >]/ && !suite_seen {
    suite_seen = 1
    key = tier SUBSEP module
    if (!(key in tests)) { order[++n] = key }
    tests[key] += attr($0, "tests")
    failed[key] += attr($0, "failures") + attr($0, "errors")
    skipped[key] += attr($0, "skipped")
    secs[key] += attr($0, "time")
  }
  /<testcase[ >]/ {
    id = attr($0, "classname") "#" attr($0, "name")
    if ((id in ran) && ran[id] != tier) { twice[id] = 1 }
    ran[id] = tier
  }
  function row(label, mod, t, f, s, sec) {
    printf "  %-5s %-11s %6d %7d %8d %9.1f s\n", label, mod, t, f, s, sec
  }
  END {
    print "tier summary (fast: surefire, real: failsafe):"
    printf "  %-5s %-11s %6s %7s %8s %11s\n", "tier", "module", "tests", "failed", "skipped", "time"
    split("fast real", tiers, " ")
    for (i = 1; i <= 2; i++) {
      tt = tf = ts = tsec = 0; rows = 0
      for (j = 1; j <= n; j++) {
        split(order[j], k, SUBSEP)
        if (k[1] != tiers[i]) continue
        row(k[1], k[2], tests[order[j]], failed[order[j]], skipped[order[j]], secs[order[j]])
        tt += tests[order[j]]; tf += failed[order[j]]; ts += skipped[order[j]]; tsec += secs[order[j]]; rows++
      }
      if (rows == 0) { printf "  %-5s %-11s\n", tiers[i], "(no reports)"; continue }
      row(tiers[i], "= all", tt, tf, ts, tsec)
      all_t += tt; all_f += tf; all_s += ts
    }
    dup = 0
    for (id in twice) { if (++dup <= 20) print "  ran in both tiers: " id }
    if (dup > 0) { printf "  %d test(s) ran in both tiers: each must carry its tier once\n", dup }
    printf "tests: %d passed, %d failed, %d skipped\n", all_t - all_f - all_s, all_f, all_s
    exit (all_f > 0 || dup > 0) ? 1 : 0
  }
' "${reports[@]}"
