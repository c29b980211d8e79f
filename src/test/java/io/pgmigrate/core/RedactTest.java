package io.pgmigrate.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every spelling of a password pgmigrate could pass on goes, and the text around it stays. */
class RedactTest {
    private static final String S = "s3cr3t";

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER ROLE app PASSWORD 's3cr3t'",
            "alter role app with password 's3cr3t' valid until 'infinity'",
            "CREATE ROLE app LOGIN ENCRYPTED PASSWORD 's3cr3t';",
            "CREATE ROLE app Password\n  's3cr3t'",
            "ALTER ROLE app PASSWORD 'it''s s3cr3t'",
            "ALTER ROLE app PASSWORD E'back\\\\slash \\' s3cr3t'",
            "ALTER ROLE app PASSWORD e's3cr3t'",
            "ALTER ROLE app PASSWORD 'a\\' s3cr3t'",
            "ALTER ROLE app PASSWORD $$s3cr3t$$",
            "ALTER ROLE app PASSWORD $pw$it's s3cr3t$pw$",
            "ALTER ROLE app PASSWORD 'unterminated s3cr3t",
            "ALTER ROLE app PASSWORD \"s3cr3t\"",
            "host=db password=s3cr3t user=app",
            "host=db password='a b s3cr3t' user=app",
            "host=db password = 'it\\'s s3cr3t' user=app",
            "host=db password='unterminated s3cr3t",
            "PGPASSWORD=s3cr3t psql",
            "db_password: s3cr3t",
            "{\"password\":\"s3cr3t\",\"user\":\"app\"}",
            "{\"password\": \"with \\\" quote s3cr3t\"}",
            "ssl_passphrase=s3cr3t",
            "api_key=s3cr3t",
            "postgres://app:s3cr3t@db.example.com:5432/shop",
            "postgresql://app:p%40ss-s3cr3t@db/shop?sslmode=verify-full",
            "postgresql://app:p@ss-s3cr3t@db/shop",
            "postgresql://db/shop?user=app&password=s3cr3t",
    })
    void thePasswordGoes(String text) {
        String out = Redact.secrets(text);
        assertThat(out).as(text).doesNotContain(S).contains("***");
    }

    @Test
    void whatIsAroundItStays() {
        assertThat(Redact.secrets("ALTER ROLE app PASSWORD 's3cr3t' VALID UNTIL 'infinity'"))
                .isEqualTo("ALTER ROLE app PASSWORD '***' VALID UNTIL 'infinity'");
        assertThat(Redact.secrets("host=db password='a b' user=app")).isEqualTo("host=db password=*** user=app");
        assertThat(Redact.secrets("postgres://app:s3cr3t@db:5432/shop")).isEqualTo("postgres://app:***@db:5432/shop");
        assertThat(Redact.secrets("postgres://app@db:5432/shop")).isEqualTo("postgres://app@db:5432/shop");
        assertThat(Redact.secrets("FATAL: password authentication failed for user \"app\""))
                .isEqualTo("FATAL: password authentication failed for user \"app\"");
        assertThat(Redact.secrets("ALTER ROLE app PASSWORD NULL")).isEqualTo("ALTER ROLE app PASSWORD NULL");
        assertThat(Redact.secrets(null)).isNull();
        assertThat(Redact.secrets("nothing here")).isEqualTo("nothing here");
    }
}
