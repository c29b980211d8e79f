package io.pgmigrate.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pgmigrate.core.ExitCode;
import io.pgmigrate.core.PgMigrateException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The plan's JSON form: one mapper for files (pretty, stable key order) and one canonical form
 * (compact, keys sorted) that the digest is computed over.
 */
public final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private PlanJson() {
    }

    /** The shared mapper (also used for facts fixtures): sorted keys, ISO-8601 times and durations. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The file form: indented, one key per line, LF line ends, trailing newline. */
    public static String write(Object value) {
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"));
            return MAPPER.writer(printer).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static Plan read(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, Plan.class);
    }

    /**
     * SHA-256 over the canonical JSON of the plan without its digest and its creation time, so that
     * two plans of the same cluster and inventory share a digest.
     */
    public static String digest(Plan plan) {
        try {
            byte[] canonical = MAPPER.writeValueAsBytes(plan.withDigest(null).withCreatedAt(null));
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute the plan digest", e);
        }
    }

    /**
     * Reads a plan file and checks its digest: a plan changed after {@code plan} wrote it is refused
     * (exit 6), an unreadable one is bad input (exit 2).
     */
    public static Plan readVerified(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT,
                    "cannot read the plan file " + file + ": " + e.getMessage());
        }
        Plan plan;
        try {
            com.fasterxml.jackson.databind.JsonNode version = MAPPER.readTree(json).get("formatVersion");
            if (version != null && version.canConvertToInt() && version.asInt() != Plan.FORMAT_VERSION) {
                com.fasterxml.jackson.databind.JsonNode tool = MAPPER.readTree(json).get("toolVersion");
                throw new PgMigrateException(ExitCode.BAD_INPUT, file + " is a plan of format " + version.asInt()
                        + (tool == null ? "" : ", written by pgmigrate " + tool.asText()) + "; this pgmigrate executes"
                        + " plans of format " + Plan.FORMAT_VERSION + " only: make and review a new plan with"
                        + " pgmigrate plan");
            }
            plan = read(json);
        } catch (JsonProcessingException e) {
            throw new PgMigrateException(ExitCode.BAD_INPUT, file
                    + " is not a pgmigrate plan (" + e.getOriginalMessage() + "); give the .plan.json that plan wrote");
        }
        String computed = digest(plan);
        if (!computed.equals(plan.digest())) {
            throw new PgMigrateException(ExitCode.STALE_PLAN, file
                    + ": the plan was changed after pgmigrate plan wrote it (digest " + plan.digest()
                    + ", content hashes to " + computed + "); make and review a new plan");
        }
        return plan;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
