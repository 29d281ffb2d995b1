// Another team's consumer of Tandem's order events: a Kafka group consumer in one Java 17 source file, built on
// kafka-clients alone. It reads the CloudEvents headers (binary mode) and the JSON payload of every event and prints
// one JSON line per event on stdout. Given the folder of Tandem's JSON Schemas (libs/contracts/schemas, or the
// `schemas/` of the @tandem/contracts package), it also checks each payload against the schema of its ce_type, as a
// tolerant reader: declared properties must match, undeclared ones are ignored. See README.md beside it.
//
//   java -cp "<kafka-clients, jackson-databind and their dependencies>/*" OrdersConsumer.java \
//     <bootstrap> <topic> <groupId> [<schemas folder>]

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

public class OrdersConsumer {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Where the JSON Schemas are (`<ce_type>.json`); null: payloads are passed on unchecked. */
  static Path schemas;
  static final Map<String, JsonNode> SCHEMAS = new HashMap<>();

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3 && args.length != 4) {
      System.err.println(
          "usage: java -cp \"<libs>/*\" OrdersConsumer.java <bootstrap> <topic> <groupId> [<schemas folder>]");
      System.exit(2);
    }
    if (args.length == 4) schemas = Path.of(args[3]);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, args[2]);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    // A new group reads the topic from its start: topics keep every event.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // At least once: offsets are committed only after the events they cover were printed.
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");

    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    Thread main = Thread.currentThread();
    // SIGTERM or Ctrl-C: wake the poll loop up, and wait until it has committed and closed.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  consumer.wakeup();
                  try {
                    main.join(30_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));

    try {
      consumer.subscribe(List.of(args[1]));
      System.err.println("OrdersConsumer: subscribed to " + args[1] + " as group " + args[2]);
      while (true) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, String> record : records) System.out.println(line(record));
        System.out.flush();
        if (!records.isEmpty()) consumer.commitSync();
      }
    } catch (WakeupException stopping) {
      // The shutdown hook asked us to stop.
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      System.err.println("OrdersConsumer: closed");
    }
  }

  /** One event as a JSON line: where it was, its CloudEvents attributes, every header, and the payload. */
  static String line(ConsumerRecord<String, String> record) {
    Map<String, String> headers = new TreeMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    StringBuilder out = new StringBuilder("{");
    field(out, "key", record.key()).append(',');
    out.append("\"partition\":").append(record.partition()).append(',');
    out.append("\"offset\":").append(record.offset()).append(',');
    field(out, "ce_type", headers.get("ce_type")).append(',');
    field(out, "ce_subject", headers.get("ce_subject")).append(',');
    String version = headers.get("ce_streamversion");
    out.append("\"version\":").append(version != null && version.matches("\\d+") ? version : "null").append(',');
    out.append("\"headers\":{");
    boolean first = true;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (!first) out.append(',');
      first = false;
      field(out, header.getKey(), header.getValue());
    }
    out.append("},");
    if (schemas != null) {
      out.append("\"schemaErrors\":[");
      List<String> errors = check(headers.get("ce_type"), record.value());
      for (int i = 0; i < errors.size(); i++) quote(i == 0 ? out : out.append(','), errors.get(i));
      out.append("],");
    }
    // The value is the event's JSON payload (binary mode), passed on as it is.
    out.append("\"payload\":").append(record.value() == null ? "null" : record.value());
    return out.append('}').toString();
  }

  /** What is wrong with a payload for the schema of its type: nothing, for a valid one. */
  static List<String> check(String type, String value) {
    List<String> errors = new ArrayList<>();
    try {
      JsonNode schema = SCHEMAS.get(type);
      if (schema == null) {
        Path file = schemas.resolve(type + ".json");
        if (type == null || !Files.exists(file)) {
          errors.add("no schema for " + type + ": a version this consumer does not know (a dead letter)");
          return errors;
        }
        schema = JSON.readTree(file.toFile());
        SCHEMAS.put(type, schema);
      }
      validate(schema, JSON.readTree(value == null ? "null" : value), "", errors);
    } catch (IOException e) {
      errors.add("unreadable: " + e.getMessage());
    }
    return errors;
  }

  /** The JSON Schema keywords Tandem's schemas use, read as a tolerant reader: undeclared properties are ignored. */
  static void validate(JsonNode schema, JsonNode value, String path, List<String> errors) {
    String where = path.isEmpty() ? "(payload)" : path;
    if (schema.has("anyOf")) {
      for (JsonNode option : schema.get("anyOf")) {
        List<String> none = new ArrayList<>();
        validate(option, value, path, none);
        if (none.isEmpty()) return;
      }
      errors.add(where + ": matches none of its alternatives");
      return;
    }
    if (schema.has("type") && !isType(schema.get("type").asText(), value)) {
      errors.add(where + ": is not " + schema.get("type").asText());
      return;
    }
    if (schema.has("const") && !schema.get("const").equals(value)) errors.add(where + ": is not " + schema.get("const"));
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode option : schema.get("enum")) listed |= option.equals(value);
      if (!listed) errors.add(where + ": is not one of " + schema.get("enum"));
    }
    if (value.isNumber()) {
      if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0)
        errors.add(where + ": is below " + schema.get("minimum"));
      if (schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0)
        errors.add(where + ": is above " + schema.get("maximum"));
    }
    if (value.isTextual()) {
      int length = value.asText().codePointCount(0, value.asText().length());
      if (schema.has("minLength") && length < schema.get("minLength").asInt()) errors.add(where + ": is too short");
      if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) errors.add(where + ": is too long");
      if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find())
        errors.add(where + ": does not match " + schema.get("pattern").asText());
    }
    if (value.isObject()) {
      for (JsonNode name : schema.path("required")) {
        if (!value.has(name.asText())) errors.add(child(path, name.asText()) + ": is missing");
      }
      for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
        if (value.has(property.getKey()))
          validate(property.getValue(), value.get(property.getKey()), child(path, property.getKey()), errors);
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (JsonNode item : value) validate(schema.get("items"), item, path + "[]", errors);
    }
  }

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static boolean isType(String type, JsonNode value) {
    return switch (type) {
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "null" -> value.isNull();
      default -> true;
    };
  }

  static StringBuilder field(StringBuilder out, String name, String value) {
    quote(out, name).append(':');
    return value == null ? out.append("null") : quote(out, value);
  }

  static StringBuilder quote(StringBuilder out, String text) {
    out.append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"');
  }
}
