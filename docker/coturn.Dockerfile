# Debian's coturn, as the TURN test runs it (test/support/turnServer.ts).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends coturn libcap2-bin \
 && setcap cap_net_bind_service=+ep /usr/bin/turnserver \
 && rm -rf /var/lib/apt/lists/*
# Port 443 without root: the capability above.
USER turnserver
CMD ["turnserver", "--help"]
