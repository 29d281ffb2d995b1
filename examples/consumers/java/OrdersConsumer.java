// Another team's consumer of Tandem's order events: a Kafka group consumer in one Java 17 source file, built on
// kafka-clients alone. It reads the CloudEvents headers (binary mode) and the JSON payload of every event and prints
// one JSON line per event on stdout. See README.md beside it.
//
//   java -cp "<kafka-clients and its dependencies>/*" OrdersConsumer.java <bootstrap> <topic> <groupId>

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

public class OrdersConsumer {
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: java -cp \"<libs>/*\" OrdersConsumer.java <bootstrap> <topic> <groupId>");
      System.exit(2);
    }
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
    // The value is the event's JSON payload (binary mode), passed on as it is.
    out.append("\"payload\":").append(record.value() == null ? "null" : record.value());
    return out.append('}').toString();
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
