import { router, userProcedure } from '../init';
import { meOutput } from '../outputs/me';

export const meRouter = router({
  /** The signed-in person: id, email, role and status. */
  get: userProcedure.output(meOutput).query(({ ctx }) => ({
    id: ctx.user.id,
    email: ctx.user.email,
    role: ctx.user.role,
    status: ctx.user.status,
  })),
});
