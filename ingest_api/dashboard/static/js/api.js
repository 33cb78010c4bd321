// The report API, called with the signed-in read key. Errors carry the API's problem details.

const BASE = "/api/v1/analytics/reports";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `the report API answered ${status}`);
    this.status = status;
    this.problem = problem;
  }

  // 401: unknown or revoked key; 403: a key of the wrong kind (a write key) or tenant.
  get refusesKey() {
    return this.status === 401 || (this.status === 403 && this.problem.type?.endsWith("wrong-key-kind"));
  }
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { title: response.statusText };
  }
}

export class ReportApi {
  constructor(key) {
    this.key = key;
  }

  async request(method, path, body) {
    const response = await fetch(`${BASE}/${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.key}`,
        Accept: "application/json",
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      throw new ApiError(response.status, await problemOf(response));
    }
    return response.json();
  }

  metrics() {
    return this.request("GET", "metrics");
  }

  timeseries(body) {
    return this.request("POST", "timeseries", body);
  }

  funnel(body) {
    return this.request("POST", "funnel", body);
  }

  topn(body) {
    return this.request("POST", "topn", body);
  }

  sla(body) {
    return this.request("POST", "sla", body);
  }
}
