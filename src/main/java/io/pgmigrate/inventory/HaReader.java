package io.pgmigrate.inventory;

import io.pgmigrate.inventory.Inventory.Ha;
import io.pgmigrate.inventory.Inventory.Patroni;
import io.pgmigrate.inventory.Inventory.PatroniService;
import io.pgmigrate.plan.Strategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code ha:} section: the Patroni cluster whose members are the source's host and the standbys' hosts
 * (issue #15). Only the shape is checked here; whether the REST APIs answer, for one cluster, the source's, is
 * inspection's.
 */
final class HaReader {
    static final List<String> HA_KEYS = List.of("patroni");
    static final List<String> PATRONI_KEYS = List.of("config", "rest", "service", "commands");
    static final List<String> COMMANDS_KEYS = List.of("stop", "start");
    static final String DEFAULT_UNIT = "patroni";
    /** {@code host:port}, the host a name, an IPv4 address or an IPv6 address in brackets. */
    private static final Pattern ENDPOINT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9][A-Za-z0-9._-]*):([0-9]{1,5})");

    private HaReader() {
    }

    static Ha ha(Keys root, Strategy strategy) {
        Optional<Keys> section = root.optionalMap("ha");
        if (section.isEmpty()) {
            return null;
        }
        Keys ha = section.get();
        ha.rejectUnknown(HA_KEYS);
        if (strategy == Strategy.LOGICAL) {
            throw root.fail("ha", "is not supported with strategy: logical yet (green's own Patroni cluster is not"
                    + " built by pgmigrate); use strategy: pg-upgrade, or remove the key");
        }
        Keys p = ha.requireMap("patroni", "add patroni: { config: /etc/patroni/patroni.yml, rest: [ \"db1:8008\" ] }"
                + " (see docs/inventory.md)");
        p.rejectUnknown(PATRONI_KEYS);
        Path config = p.requirePath("config", "set it to the path of patroni.yml on every member's host, e.g."
                + " /etc/patroni/patroni.yml", "the members' hosts");
        return new Ha(new Patroni(config, rest(p), service(p)));
    }

    private static List<String> rest(Keys p) {
        String hint = "list each member's REST API as host:port, e.g. [ \"db1:8008\", \"db1b:8008\" ]"
                + " (restapi.connect_address of its patroni.yml)";
        if (!p.has("rest")) {
            p.requireString("rest", hint);
        }
        YamlNode list = p.value("rest").orElseThrow();
        if (!list.isList() || list.items().isEmpty()) {
            throw p.fail("rest", "expected a non-empty list of host:port; " + hint);
        }
        List<String> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode item = list.items().get(i);
            String path = p.pathOf("rest") + "[" + i + "]";
            String text = item.isScalar() ? item.text().strip() : "";
            Matcher m = ENDPOINT.matcher(text);
            if (!item.isScalar() || !m.matches()) {
                throw InventoryProblems.at(p.context().file(), item.line(), path, "expected host:port of a member's"
                        + " REST API, e.g. db1:8008, got " + (item.isScalar() ? InventoryProblems.quote(item.text())
                        : item.describe()) + (text.startsWith("http") ? "; leave out http://" : ""));
            }
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                throw InventoryProblems.at(p.context().file(), item.line(), path, "the port must be between 1 and"
                        + " 65535, got " + port);
            }
            String earlier = seen.putIfAbsent(text.toLowerCase(Locale.ROOT), path);
            if (earlier != null) {
                throw InventoryProblems.at(p.context().file(), item.line(), path, InventoryProblems.quote(text)
                        + " is already listed as " + earlier + "; list each member's REST API once");
            }
            out.add(text);
        }
        return List.copyOf(out);
    }

    private static PatroniService service(Keys p) {
        if (p.has("commands")) {
            if (p.has("service")) {
                throw p.fail("commands", "give either service: or commands:, not both");
            }
            Keys c = p.requireMap("commands", "");
            c.rejectUnknown(COMMANDS_KEYS);
            String hint = "the program and its arguments, e.g. [ sudo, systemctl, stop, patroni ]";
            if (!c.has("stop")) {
                c.requireString("stop", hint);
            }
            if (!c.has("start")) {
                c.requireString("start", hint);
            }
            return new PatroniService(null, c.optionalStringList("stop"), c.optionalStringList("start"));
        }
        String text = p.optionalString("service", "systemd:" + DEFAULT_UNIT);
        if (!text.startsWith("systemd:") || text.length() == "systemd:".length()) {
            throw p.fail("service", "must be systemd:<unit>, e.g. systemd:patroni, got " + InventoryProblems.quote(text)
                    + "; for another way give commands: { stop: [...], start: [...] } instead");
        }
        return PatroniService.systemd(text.substring("systemd:".length()));
    }
}
