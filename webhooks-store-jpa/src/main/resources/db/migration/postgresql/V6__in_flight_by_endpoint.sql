-- Claims count each endpoint's deliveries in flight (leased by any worker) to keep max_in_flight.
CREATE INDEX deliveries_in_flight ON deliveries (endpoint_id) WHERE status = 'in_flight';
