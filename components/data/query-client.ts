"use client";
import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api";

/** The dashboard's one query client: short staleness, no retry on 4xx, polling set per hook. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: true,
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** Live updates: how often lists and charts refetch while visible. */
export const POLL_MS = 10_000;
