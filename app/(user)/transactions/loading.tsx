import { LoadingPage } from '../../_components/loading-page';

export default function Loading() {
  return <LoadingPage title="Transactions" text="Loading your transactions…" />;
}
