package org.ppaforge.client.wire;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The one JSON mapping of the API, used by the server to write and by every client (the CLI, the build worker) to read:
 * instants, durations and paths as their strings; properties a newer server adds are ignored by an older client.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule()
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, ToStringSerializer.instance)
                    .addSerializer(Path.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new FromString<>(Instant.class, Instant::parse))
                    .addDeserializer(Duration.class, new FromString<>(Duration.class, Duration::parse))
                    .addDeserializer(Path.class, new FromString<>(Path.class, Path::of)));

    private Json() {}

    public static JavaType listOf(Class<?> element) {
        return MAPPER.getTypeFactory().constructCollectionType(List.class, element);
    }

    public static JavaType of(Class<?> type) {
        return MAPPER.getTypeFactory().constructType(type);
    }

    /** A value read from its JSON string form. */
    private static final class FromString<T> extends FromStringDeserializer<T> {
        private final Function<String, T> parse;

        FromString(Class<T> type, Function<String, T> parse) {
            super(type);
            this.parse = parse;
        }

        @Override
        protected T _deserialize(String value, DeserializationContext ctxt) {
            return parse.apply(value);
        }
    }
}
