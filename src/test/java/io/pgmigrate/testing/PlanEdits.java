package io.pgmigrate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmigrate.plan.Plan;
import io.pgmigrate.plan.PlanJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Edits a plan file as a reviewer could before signing it off, then gives it the digest of its new content (as
 * {@code pgmigrate plan} would have), so that execute accepts it: for tests that need a step's limit far below what
 * the planner gives it.
 */
public final class PlanEdits {
    private PlanEdits() {
    }

    /** The step's timeout becomes {@code timeout}; the plan file is rewritten with its new digest. */
    public static void withTimeout(Path planFile, String stepId, Duration timeout) {
        try {
            JsonNode root = PlanJson.mapper().readTree(Files.readString(planFile));
            ObjectNode step = null;
            for (JsonNode phase : root.get("phases")) {
                for (JsonNode s : phase.get("steps")) {
                    if (stepId.equals(s.get("id").asText())) {
                        step = (ObjectNode) s;
                    }
                }
            }
            if (step == null) {
                throw new IllegalArgumentException("no step " + stepId + " in " + planFile);
            }
            step.put("timeout", timeout.toString());
            Plan plan = PlanJson.read(PlanJson.mapper().writeValueAsString(root));
            Files.writeString(planFile, PlanJson.write(plan.withDigest(PlanJson.digest(plan))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
