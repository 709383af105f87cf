package dev.cpr.healthmonitor.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cpr.contracts.events.EventCodec;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;

/** A list of member names as a JSON array in a text column. */
@Converter
public class StringListConverter implements AttributeConverter<List<String>, String> {

    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(List<String> names) {
        try {
            return EventCodec.mapper().writeValueAsString(names == null ? List.of() : names);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write member names " + names, e);
        }
    }

    @Override
    public List<String> convertToEntityAttribute(String json) {
        try {
            return json == null ? List.of() : EventCodec.mapper().readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("failed_members is not a JSON array: " + json, e);
        }
    }
}
