package dev.cpr.healthmonitor.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.incident.MemberHealth;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;

/** Members' health as a JSON array in a text column. */
@Converter
public class MemberHealthListConverter implements AttributeConverter<List<MemberHealth>, String> {

    private static final TypeReference<List<MemberHealth>> LIST = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(List<MemberHealth> members) {
        try {
            return EventCodec.mapper().writeValueAsString(members == null ? List.of() : members);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write members " + members, e);
        }
    }

    @Override
    public List<MemberHealth> convertToEntityAttribute(String json) {
        try {
            return json == null ? List.of() : EventCodec.mapper().readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("members is not a JSON array of member health: " + json, e);
        }
    }
}
