package dev.mediawatch.aggregator.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.mediawatch.catalogue.CatalogueException;
import dev.mediawatch.catalogue.CatalogueParser;
import dev.mediawatch.catalogue.ServiceCatalogue;

/** Reads the catalogue once at startup; a bad one stops startup with {@code file:line: problem}. */
public class CatalogueSource {

    private static final Logger LOG = Logger.getLogger(CatalogueSource.class);

    @Produces
    @Singleton
    ServiceCatalogue catalogue(AggregatorConfig config) {
        if (config.catalogue().isEmpty()) {
            LOG.info("no catalogue configured (mediawatch.catalogue): services are judged by what each agent reports");
            return ServiceCatalogue.EMPTY;
        }
        try {
            ServiceCatalogue catalogue = CatalogueParser.load(config.catalogue().get());
            LOG.infof("catalogue %s: %d services on %s", catalogue.source(), catalogue.services().size(), catalogue.hosts());
            return catalogue;
        } catch (CatalogueException e) {
            throw new IllegalStateException("invalid service catalogue (mediawatch.catalogue): " + e.getMessage());
        }
    }
}
