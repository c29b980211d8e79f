package io.pgmigrate.facts;

import io.pgmigrate.pg.PgVersion;

/**
 * One of green's standbys (blue/green, issue #15) as its host showed it at inspection: what it will run and where its
 * copy of green goes. Read-only, like all facts.
 *
 * @param name            the inventory's name for it
 * @param binariesVersion {@code postgres --version} of its binDir
 * @param basebackup      {@code pg_basebackup --version} of its binDir
 * @param dataDir         its data directory's host facts (it must be absent or empty; its file system's free space)
 */
public record GreenStandbyFacts(String name, PgVersion binariesVersion, PgVersion basebackup, HostFacts dataDir) {
}
