# The gateway as a container: small Node base, production dependencies only, not root.
#   docker build -t api-compat .
#   docker run --rm -p 8080:8080 -v "$PWD/mappings:/config:ro" \
#     -e API_COMPAT_MAPPING=/config/knowledge.yaml -e API_COMPAT_UPSTREAM=http://v2.internal:8080 api-compat
FROM node:20-alpine

ENV NODE_ENV=production \
    API_COMPAT_HOST=0.0.0.0 \
    API_COMPAT_PORT=8080 \
    API_COMPAT_ADMIN_HOST=0.0.0.0 \
    API_COMPAT_ADMIN_PORT=9090 \
    API_COMPAT_MAPPING=/config/mapping.yaml

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY schemas ./schemas
COPY mappings ./mappings
COPY LICENSE README.md ./

# The image's own unprivileged user; the mapping is mounted read-only at /config.
USER node
EXPOSE 8080 9090

# The admin port's liveness probe; orchestrators with their own probes (Kubernetes) ignore this.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.API_COMPAT_ADMIN_PORT || 9090) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Exec form: node is PID 1 and gets SIGTERM itself; the gateway handles it by draining.
ENTRYPOINT ["node", "bin/api-compat.js"]
CMD ["serve"]
