import { LoadingPage } from '../../_components/loading-page';

export default function Loading() {
  return <LoadingPage title="Your money" text="Loading your banks…" />;
}
