#!/usr/bin/env bash
# Build the HTTP_POLL task module into infra/conductor/http-poll/target/conductor-http-poll.jar.
#
# Needs Maven and a JDK >= 21 (Conductor 3.32.3 classes are Java 21 class files): JAVA_HOME when
# it is one, else the newest /usr/lib/jvm/* that is. Skips the build when the jar is newer than
# every source file and the pom. Prints the jar's path on success.
#
#   infra/conductor/build.sh           build the jar (tests skipped)
#   infra/conductor/build.sh --test    run the JUnit tests only. The jar is left as it is, because a
#                                      running server may have loaded it
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="$HERE/http-poll"
JAR="$MODULE/target/conductor-http-poll.jar"
CONDUCTOR_VERSION="3.32.3"
M2_REPO="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
BOOT_JAR="${LONGRUN_CONDUCTOR_JAR:-$M2_REPO/org/conductoross/conductor-server/$CONDUCTOR_VERSION/conductor-server-$CONDUCTOR_VERSION-boot.jar}"

run_tests=false
if [[ "${1:-}" == "--test" ]]; then
    run_tests=true
elif [[ $# -gt 0 ]]; then
    echo "usage: $0 [--test]" >&2
    exit 2
fi

java_major() {  # print the major version of the JDK at $1, or nothing
    local release="$1/release"
    [[ -x "$1/bin/javac" && -f "$release" ]] || return 0
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

find_jdk() {
    local major
    if [[ -n "${JAVA_HOME:-}" ]]; then
        major="$(java_major "$JAVA_HOME")"
        if [[ -n "$major" && "$major" -ge 21 ]]; then
            echo "$JAVA_HOME"
            return
        fi
    fi
    local best="" best_major=0 dir
    for dir in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
        [[ -d "$dir" ]] || continue
        major="$(java_major "$dir")"
        if [[ -n "$major" && "$major" -ge 21 && "$major" -gt "$best_major" ]]; then
            best="$dir"
            best_major="$major"
        fi
    done
    echo "$best"
}

jar_is_fresh() {
    [[ -f "$JAR" ]] || return 1
    [[ -z "$(find "$MODULE/pom.xml" "$MODULE/src" -newer "$JAR" -print -quit)" ]]
}

if ! $run_tests && jar_is_fresh; then
    echo "$JAR"
    exit 0
fi

JDK="$(find_jdk)"
if [[ -z "$JDK" ]]; then
    echo "build.sh: no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/*); install one, e.g. apt-get install openjdk-21-jdk-headless" >&2
    exit 1
fi
if ! command -v mvn >/dev/null; then
    echo "build.sh: mvn not found; install Maven, e.g. apt-get install maven" >&2
    exit 1
fi
export JAVA_HOME="$JDK"
# Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every run.
if [[ "$(java_major "$JDK")" -ge 24 ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi

# Maven Central has no conductor-common 3.32.3, so install the copy inside the server's boot jar.
COMMON_JAR="$M2_REPO/org/conductoross/conductor-common/$CONDUCTOR_VERSION/conductor-common-$CONDUCTOR_VERSION.jar"
if [[ ! -f "$COMMON_JAR" ]]; then
    if [[ ! -f "$BOOT_JAR" ]]; then
        echo "build.sh: fetching the Conductor server boot jar $CONDUCTOR_VERSION from Maven Central" >&2
        mvn -q dependency:get -Dartifact="org.conductoross:conductor-server:$CONDUCTOR_VERSION:jar:boot" -Dtransitive=false >&2
    fi
    workdir="$(mktemp -d)"
    trap 'rm -rf "$workdir"' EXIT
    unzip -q -o "$BOOT_JAR" "BOOT-INF/lib/conductor-common-$CONDUCTOR_VERSION.jar" -d "$workdir"
    mvn -q install:install-file -Dfile="$workdir/BOOT-INF/lib/conductor-common-$CONDUCTOR_VERSION.jar" \
        -DgroupId=org.conductoross -DartifactId=conductor-common -Dversion="$CONDUCTOR_VERSION" -Dpackaging=jar >&2
fi

if $run_tests; then
    mvn -B -Dstyle.color=never -f "$MODULE/pom.xml" test
    exit 0
else
    mvn -q -B -Dstyle.color=never -f "$MODULE/pom.xml" package -DskipTests >&2
fi
echo "$JAR"
