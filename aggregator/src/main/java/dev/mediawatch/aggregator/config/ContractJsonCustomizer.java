package dev.mediawatch.aggregator.config;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mediawatch.contract.ContractJson;
import io.quarkus.jackson.ObjectMapperCustomizer;

/** REST bodies are written exactly like MQTT payloads: one JSON configuration, the contract's. */
@Singleton
public class ContractJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        ContractJson.configure(mapper);
    }
}
