package io.pgmigrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;
import io.pgmigrate.testing.CliRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code execute --expect-digest}: the digest the reviewed NAME.plan.md prints refuses a plan that was edited and given
 * a fresh digest, which the plan's own digest check cannot tell from the approved one; before anything is touched.
 */
class ExpectDigestTest {
    @TempDir
    Path dir;
    private Path plan;
    private Path inventory;
    private String approved;

    @BeforeEach
    void reviewedExample() throws Exception {
        plan = Files.copy(Path.of("plans/examples/orders-prod.plan.json"), dir.resolve("orders-prod.plan.json"));
        inventory = Files.copy(Path.of("plans/examples/orders-prod.pgmigrate.yaml"), dir.resolve("pgmigrate.yaml"));
        Matcher m = Pattern.compile("\\| Digest \\| `(sha256:[0-9a-f]{64})` \\|")
                .matcher(Files.readString(Path.of("plans/examples/orders-prod.plan.md")));
        assertThat(m.find()).as("the reviewed Markdown prints the digest").isTrue();
        approved = m.group(1);
    }

    /** Someone who can write the plan file edits the cleanup step's command and writes the new content's digest. */
    private void editAndRedigest() throws Exception {
        JsonNode root = PlanJson.mapper().readTree(Files.readString(plan));
        for (JsonNode phase : root.get("phases")) {
            for (JsonNode s : phase.get("steps")) {
                if ("cleanup.delete-old".equals(s.get("id").asText())) {
                    ArrayNode argv = (ArrayNode) s.get("action").get("argv");
                    argv.removeAll();
                    argv.add("/tmp/planted.sh");
                }
            }
        }
        Plan edited = PlanJson.read(PlanJson.mapper().writeValueAsString(root));
        Files.writeString(plan, PlanJson.write(edited.withDigest(PlanJson.digest(edited))));
    }

    @Test
    void aReDigestedEditedPlanPassesTheDigestCheckButNotTheApprovedDigest() throws Exception {
        editAndRedigest();
        Plan edited = PlanJson.readVerified(plan);
        assertThat(edited.digest()).as("the plan's own digest proves nothing against this").isNotEqualTo(approved);

        CliRun run = CliRun.of("execute", "--expect-digest", approved, "-i", inventory.toString(), plan.toString());

        assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(6);
        assertThat(run.err().strip()).doesNotContain("\n").contains(plan + " has digest " + edited.digest()
                + ", not the approved " + approved + " (--expect-digest): this is not the plan that was reviewed;"
                + " nothing was changed");
        assertThat(dir.resolve("orders-prod.journal.jsonl")).as("nothing ran").doesNotExist();
    }

    @Test
    void theApprovedDigestIsCheckedAsTheMarkdownPrintsItAndAMalformedOneIsBadInput() {
        CliRun malformed = CliRun.of("execute", "--expect-digest", "abc123", "-i", inventory.toString(),
                plan.toString());
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("--expect-digest abc123 is not a plan digest");

        CliRun other = CliRun.of("execute", "--expect-digest", "sha256:" + "0".repeat(64), "-i",
                inventory.toString(), plan.toString());
        assertThat(other.exitCode()).isEqualTo(6);
        assertThat(other.err()).contains("has digest " + approved + ", not the approved sha256:" + "0".repeat(64));
    }
}
